/**
 * JSONPath as Step Functions evaluates it (AWS runs Jayway JsonPath): `$`, dot and bracket notation, array
 * indexes (negative from the end), unions, slices, wildcards, deep scan `..`, and filters `[?(@.x > 1)]`.
 *
 * Semantics that matter for fidelity:
 * - a *definite* path (only single names and single indexes) yields one value, and a missing step is an error
 *   (`No results for path: $['a']['b']` at the last step, `Missing property in path $['a']` before it);
 * - an *indefinite* path (wildcard, deep scan, filter, slice, union) yields an array of every match (maybe empty),
 *   skipping what is missing.
 *
 * Written here rather than taken from `jsonpath-plus`: that library evaluates filters as JavaScript (not Jayway's
 * operator semantics), always returns arrays, and cannot tell a missing leaf from a missing intermediate step,
 * which AWS's error causes distinguish.
 */
import { type JsonValue, getOwn, isJsonObject, jsonEquals } from './json';

/** A parsed path step. */
export type PathSegment =
  | { readonly kind: 'property'; readonly names: readonly string[] }
  | { readonly kind: 'index'; readonly indexes: readonly number[] }
  | {
      readonly kind: 'slice';
      readonly start: number | undefined;
      readonly end: number | undefined;
      readonly step: number | undefined;
    }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'filter'; readonly expression: FilterExpression }
  | { readonly kind: 'deepScan'; readonly inner: PathSegment };

/** A parsed JSONPath: the root (`$` or `@`) and its steps. */
export interface ParsedPath {
  readonly source: string;
  readonly root: '$' | '@';
  readonly segments: readonly PathSegment[];
  /** True when the path can match at most one node (only single names and single indexes). */
  readonly definite: boolean;
}

type FilterOperand =
  | { readonly kind: 'path'; readonly path: ParsedPath }
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'regex'; readonly regex: RegExp };

/** A parsed filter expression (`[?( ... )]`). */
export type FilterExpression =
  | { readonly kind: 'or' | 'and'; readonly left: FilterExpression; readonly right: FilterExpression }
  | { readonly kind: 'not'; readonly operand: FilterExpression }
  | { readonly kind: 'exists'; readonly operand: FilterOperand }
  | {
      readonly kind: 'compare';
      readonly op: string;
      readonly left: FilterOperand;
      readonly right: FilterOperand;
    };

/** A JSONPath that cannot be parsed. */
export class JsonPathSyntaxError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`Invalid JSONPath '${path}': ${detail}`);
    this.name = 'JsonPathSyntaxError';
  }
}

/**
 * A definite path that does not resolve. `message` is Jayway's wording, which AWS quotes in causes:
 * `No results for path: $['a']` / `Missing property in path $['a']`.
 */
export class JsonPathNotFoundError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'JsonPathNotFoundError';
  }
}

const parseCache = new Map<string, ParsedPath>();
const PARSE_CACHE_LIMIT = 10_000;

/** Parses a JSONPath (cached: definitions reuse the same paths on every execution). */
export function parseJsonPath(source: string): ParsedPath {
  const cached = parseCache.get(source);
  if (cached) return cached;
  const parsed = new PathParser(source).parsePath();
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
  parseCache.set(source, parsed);
  return parsed;
}

/**
 * Evaluates a JSONPath on data. Definite paths return the node or throw {@link JsonPathNotFoundError};
 * indefinite paths return the array of matches.
 */
export function evaluateJsonPath(path: string | ParsedPath, data: JsonValue): JsonValue {
  const parsed = typeof path === 'string' ? parseJsonPath(path) : path;
  if (parsed.definite) return evaluateDefinite(parsed, data);
  const out: JsonValue[] = [];
  collect(parsed.segments, 0, data, out);
  return out;
}

/** Like {@link evaluateJsonPath} but returns undefined instead of throwing when a definite path is missing. */
export function tryEvaluateJsonPath(path: string | ParsedPath, data: JsonValue): JsonValue | undefined {
  const parsed = typeof path === 'string' ? parseJsonPath(path) : path;
  if (!parsed.definite) return evaluateJsonPath(parsed, data);
  let current: JsonValue = data;
  for (const seg of parsed.segments) {
    const next = stepDefinite(seg, current);
    if (next === undefined) return undefined;
    current = next;
  }
  return current;
}

/** Jayway's rendering of a definite path prefix: `$['a'][0]['b']`. */
export function normalizedPath(segments: readonly PathSegment[], count = segments.length): string {
  let out = '$';
  for (const seg of segments.slice(0, count)) {
    if (seg.kind === 'property') out += seg.names.map((n) => `['${n}']`).join('');
    else if (seg.kind === 'index') out += `[${seg.indexes.join(',')}]`;
  }
  return out;
}

function stepDefinite(seg: PathSegment, current: JsonValue): JsonValue | undefined {
  if (seg.kind === 'property') {
    const name = seg.names[0] as string;
    return isJsonObject(current) ? getOwn(current, name) : undefined;
  }
  if (seg.kind === 'index') {
    if (!Array.isArray(current)) return undefined;
    const raw = seg.indexes[0] as number;
    const idx = raw < 0 ? current.length + raw : raw;
    return idx >= 0 && idx < current.length ? current[idx] : undefined;
  }
  return undefined;
}

function evaluateDefinite(parsed: ParsedPath, data: JsonValue): JsonValue {
  let current: JsonValue = data;
  const segs = parsed.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as PathSegment;
    const next = stepDefinite(seg, current);
    if (next === undefined) {
      const isLeaf = i === segs.length - 1;
      const where = normalizedPath(segs, i + 1);
      throw new JsonPathNotFoundError(
        parsed.source,
        isLeaf ? `No results for path: ${where}` : `Missing property in path ${where}`,
      );
    }
    current = next;
  }
  return current;
}

function collect(segments: readonly PathSegment[], i: number, node: JsonValue, out: JsonValue[]): void {
  if (i === segments.length) {
    out.push(node);
    return;
  }
  const seg = segments[i] as PathSegment;
  for (const child of applySegment(seg, node)) collect(segments, i + 1, child, out);
}

function applySegment(seg: PathSegment, node: JsonValue): JsonValue[] {
  switch (seg.kind) {
    case 'property': {
      if (!isJsonObject(node)) return [];
      const res: JsonValue[] = [];
      for (const name of seg.names) {
        const v = getOwn(node, name);
        if (v !== undefined) res.push(v);
      }
      return res;
    }
    case 'index': {
      if (!Array.isArray(node)) return [];
      const res: JsonValue[] = [];
      for (const raw of seg.indexes) {
        const idx = raw < 0 ? node.length + raw : raw;
        if (idx >= 0 && idx < node.length) res.push(node[idx] as JsonValue);
      }
      return res;
    }
    case 'slice': {
      if (!Array.isArray(node)) return [];
      const len = node.length;
      const norm = (v: number | undefined, dflt: number): number =>
        v === undefined ? dflt : v < 0 ? Math.max(0, len + v) : Math.min(v, len);
      const start = norm(seg.start, 0);
      const end = norm(seg.end, len);
      const step = seg.step ?? 1;
      const res: JsonValue[] = [];
      if (step <= 0) return res;
      for (let k = start; k < end; k += step) res.push(node[k] as JsonValue);
      return res;
    }
    case 'wildcard':
      if (Array.isArray(node)) return [...node];
      if (isJsonObject(node)) return Object.values(node);
      return [];
    case 'filter':
      if (Array.isArray(node)) return node.filter((item) => testFilter(seg.expression, item, node));
      if (isJsonObject(node)) return testFilter(seg.expression, node, node) ? [node] : [];
      return [];
    case 'deepScan': {
      const res: JsonValue[] = [];
      deepScan(seg.inner, node, res);
      return res;
    }
  }
}

function deepScan(inner: PathSegment, node: JsonValue, out: JsonValue[]): void {
  if (inner.kind === 'wildcard') {
    // `..*`: every descendant, pre-order.
    const children = Array.isArray(node) ? node : isJsonObject(node) ? Object.values(node) : [];
    for (const child of children) {
      out.push(child);
      deepScan(inner, child, out);
    }
    return;
  }
  if (inner.kind === 'filter') {
    // `..[?(...)]`: every object in the tree is tested once (arrays are walked, not filtered, to avoid duplicates).
    if (isJsonObject(node) && testFilter(inner.expression, node, node)) out.push(node);
  } else {
    out.push(...applySegment(inner, node));
  }
  const children = Array.isArray(node) ? node : isJsonObject(node) ? Object.values(node) : [];
  for (const child of children) deepScan(inner, child, out);
}

// ---------------------------------------------------------------- filters

function operandValue(op: FilterOperand, item: JsonValue, root: JsonValue): JsonValue | undefined {
  if (op.kind === 'literal') return op.value;
  if (op.kind === 'regex') return undefined;
  const base = op.path.root === '@' ? item : root;
  return tryEvaluateJsonPath(op.path, base);
}

function testFilter(expr: FilterExpression, item: JsonValue, root: JsonValue): boolean {
  switch (expr.kind) {
    case 'or':
      return testFilter(expr.left, item, root) || testFilter(expr.right, item, root);
    case 'and':
      return testFilter(expr.left, item, root) && testFilter(expr.right, item, root);
    case 'not':
      return !testFilter(expr.operand, item, root);
    case 'exists': {
      const v = operandValue(expr.operand, item, root);
      if (expr.operand.kind === 'path' && !expr.operand.path.definite)
        return Array.isArray(v) && v.length > 0;
      return v !== undefined;
    }
    case 'compare':
      return compare(expr, item, root);
  }
}

function compare(
  expr: Extract<FilterExpression, { kind: 'compare' }>,
  item: JsonValue,
  root: JsonValue,
): boolean {
  const left = operandValue(expr.left, item, root);
  if (expr.op === '=~') {
    return expr.right.kind === 'regex' && typeof left === 'string' && expr.right.regex.test(left);
  }
  const right = operandValue(expr.right, item, root);
  if (left === undefined || right === undefined)
    return expr.op === '!=' && (left === undefined) !== (right === undefined);
  switch (expr.op) {
    case '==':
      return jsonEquals(left, right);
    case '!=':
      return !jsonEquals(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!(
        (typeof left === 'number' && typeof right === 'number') ||
        (typeof left === 'string' && typeof right === 'string')
      )) {
        return false;
      }
      if (expr.op === '<') return left < right;
      if (expr.op === '<=') return left <= right;
      if (expr.op === '>') return left > right;
      return left >= right;
    }
    case 'in':
      return Array.isArray(right) && right.some((r) => jsonEquals(left, r));
    case 'nin':
      return Array.isArray(right) && !right.some((r) => jsonEquals(left, r));
    case 'subsetof':
      return (
        Array.isArray(left) && Array.isArray(right) && left.every((l) => right.some((r) => jsonEquals(l, r)))
      );
    case 'anyof':
      return (
        Array.isArray(left) && Array.isArray(right) && left.some((l) => right.some((r) => jsonEquals(l, r)))
      );
    case 'noneof':
      return (
        Array.isArray(left) && Array.isArray(right) && !left.some((l) => right.some((r) => jsonEquals(l, r)))
      );
    case 'size':
      return (
        typeof right === 'number' &&
        ((Array.isArray(left) && left.length === right) ||
          (typeof left === 'string' && left.length === right))
      );
    case 'empty': {
      const isEmpty = (Array.isArray(left) && left.length === 0) || left === '';
      const isSized = Array.isArray(left) || typeof left === 'string';
      return isSized && right === isEmpty;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------- parser

const COMPARISON_OPERATORS = ['==', '!=', '<=', '>=', '=~', '<', '>'];
const WORD_OPERATORS = ['subsetof', 'anyof', 'noneof', 'size', 'empty', 'nin', 'in'];

class PathParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parsePath(): ParsedPath {
    const path = this.parsePathAt();
    if (this.pos !== this.src.length) this.fail(`unexpected '${this.src.slice(this.pos)}'`);
    return path;
  }

  /** Parses a path starting at the current position, stopping at the first character that cannot continue it. */
  parsePathAt(): ParsedPath {
    const start = this.pos;
    const rootChar = this.src[this.pos];
    if (rootChar !== '$' && rootChar !== '@') this.fail('a path must start with $');
    this.pos++;
    const segments: PathSegment[] = [];
    for (;;) {
      const c = this.src[this.pos];
      if (c === '.') {
        if (this.src[this.pos + 1] === '.') {
          this.pos += 2;
          segments.push({ kind: 'deepScan', inner: this.parseAfterDeepScan() });
        } else {
          this.pos++;
          segments.push(this.parseDotSegment());
        }
      } else if (c === '[') {
        segments.push(this.parseBracket());
      } else {
        break;
      }
    }
    const definite = segments.every(
      (s) =>
        (s.kind === 'property' && s.names.length === 1) || (s.kind === 'index' && s.indexes.length === 1),
    );
    return { source: this.src.slice(start, this.pos), root: rootChar, segments, definite };
  }

  private parseAfterDeepScan(): PathSegment {
    if (this.src[this.pos] === '[') return this.parseBracket();
    return this.parseDotSegment();
  }

  private parseDotSegment(): PathSegment {
    if (this.src[this.pos] === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    const start = this.pos;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos] as string;
      if (
        c === '.' ||
        c === '[' ||
        c === ' ' ||
        c === ')' ||
        c === ',' ||
        c === '=' ||
        c === '<' ||
        c === '>' ||
        c === '!' ||
        c === '&' ||
        c === '|'
      )
        break;
      this.pos++;
    }
    if (this.pos === start) this.fail('empty property name');
    return { kind: 'property', names: [this.src.slice(start, this.pos)] };
  }

  private parseBracket(): PathSegment {
    this.pos++; // [
    this.skipSpaces();
    const c = this.src[this.pos];
    let seg: PathSegment;
    if (c === '*') {
      this.pos++;
      seg = { kind: 'wildcard' };
    } else if (c === '?') {
      this.pos++;
      this.skipSpaces();
      this.expect('(');
      const expression = this.parseOr();
      this.skipSpaces();
      this.expect(')');
      seg = { kind: 'filter', expression };
    } else if (c === "'" || c === '"') {
      const names: string[] = [this.parseQuoted()];
      this.skipSpaces();
      while (this.src[this.pos] === ',') {
        this.pos++;
        this.skipSpaces();
        names.push(this.parseQuoted());
        this.skipSpaces();
      }
      seg = { kind: 'property', names };
    } else {
      seg = this.parseIndexOrSlice();
    }
    this.skipSpaces();
    this.expect(']');
    return seg;
  }

  private parseIndexOrSlice(): PathSegment {
    const parts: (number | undefined)[] = [this.parseOptionalInt()];
    this.skipSpaces();
    if (this.src[this.pos] === ':') {
      while (this.src[this.pos] === ':' && parts.length < 3) {
        this.pos++;
        this.skipSpaces();
        parts.push(this.parseOptionalInt());
        this.skipSpaces();
      }
      return { kind: 'slice', start: parts[0], end: parts[1], step: parts[2] };
    }
    const first = parts[0];
    if (first === undefined) this.fail('expected an index');
    const indexes: number[] = [first];
    while (this.src[this.pos] === ',') {
      this.pos++;
      this.skipSpaces();
      const n = this.parseOptionalInt();
      if (n === undefined) this.fail('expected an index');
      indexes.push(n);
      this.skipSpaces();
    }
    return { kind: 'index', indexes };
  }

  private parseOptionalInt(): number | undefined {
    const m = /^-?\d+/.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private parseQuoted(): string {
    const quote = this.src[this.pos];
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted name');
    this.pos++;
    // Like Jayway, a backslash only keeps the next character from closing the name; the name keeps it as written
    // (AWS resolves $['Test\""Name"'] to the key Test\""Name", backslash included), except an escaped quote of the
    // kind that delimits the name.
    let out = '';
    while (this.pos < this.src.length && this.src[this.pos] !== quote) {
      const ch = this.src[this.pos] as string;
      if (ch === '\\' && this.src[this.pos + 1] === quote) {
        out += quote;
        this.pos += 2;
        continue;
      }
      if (ch === '\\' && this.pos + 1 < this.src.length) {
        out += ch + (this.src[this.pos + 1] as string);
        this.pos += 2;
        continue;
      }
      out += ch;
      this.pos++;
    }
    this.expect(quote);
    return out;
  }

  // filter expressions
  private parseOr(): FilterExpression {
    let left = this.parseAnd();
    for (;;) {
      this.skipSpaces();
      if (!this.src.startsWith('||', this.pos)) return left;
      this.pos += 2;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
  }

  private parseAnd(): FilterExpression {
    let left = this.parseUnary();
    for (;;) {
      this.skipSpaces();
      if (!this.src.startsWith('&&', this.pos)) return left;
      this.pos += 2;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
  }

  private parseUnary(): FilterExpression {
    this.skipSpaces();
    if (this.src[this.pos] === '!' && this.src[this.pos + 1] !== '=') {
      this.pos++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    if (this.src[this.pos] === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skipSpaces();
      this.expect(')');
      return inner;
    }
    const left = this.parseOperand();
    this.skipSpaces();
    const op = this.parseOperator();
    if (op === undefined) return { kind: 'exists', operand: left };
    this.skipSpaces();
    const right = this.parseOperand();
    return { kind: 'compare', op, left, right };
  }

  private parseOperator(): string | undefined {
    for (const op of COMPARISON_OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    for (const op of WORD_OPERATORS) {
      if (this.src.startsWith(op, this.pos) && !/[A-Za-z0-9_]/.test(this.src[this.pos + op.length] ?? '')) {
        this.pos += op.length;
        return op;
      }
    }
    return undefined;
  }

  private parseOperand(): FilterOperand {
    this.skipSpaces();
    const c = this.src[this.pos];
    if (c === '@' || c === '$') return { kind: 'path', path: this.parsePathAt() };
    if (c === "'" || c === '"') return { kind: 'literal', value: this.parseQuoted() };
    if (c === '/') {
      const m = /^\/((?:\\.|[^/\\])*)\/([a-z]*)/.exec(this.src.slice(this.pos));
      if (!m) this.fail('bad regular expression');
      this.pos += m[0].length;
      return { kind: 'regex', regex: new RegExp(m[1] as string, (m[2] as string).replace(/[^imsu]/g, '')) };
    }
    if (c === '[' || c === '{') {
      const end = this.findJsonLiteralEnd();
      const text = this.src.slice(this.pos, end).replace(/'/g, '"');
      this.pos = end;
      try {
        return { kind: 'literal', value: JSON.parse(text) as JsonValue };
      } catch {
        this.fail(`bad literal ${text}`);
      }
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.src.slice(this.pos));
    if (!m) this.fail('expected an operand');
    this.pos += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) as JsonValue };
  }

  private findJsonLiteralEnd(): number {
    let depth = 0;
    let quote: string | undefined;
    for (let i = this.pos; i < this.src.length; i++) {
      const ch = this.src[i] as string;
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '[' || ch === '{') depth++;
      else if (ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    this.fail('unterminated literal');
  }

  private skipSpaces(): void {
    while (this.src[this.pos] === ' ') this.pos++;
  }

  private expect(ch: string): void {
    if (this.src[this.pos] !== ch) this.fail(`expected '${ch}' at position ${this.pos}`);
    this.pos++;
  }

  private fail(detail: string): never {
    throw new JsonPathSyntaxError(this.src, detail);
  }
}
