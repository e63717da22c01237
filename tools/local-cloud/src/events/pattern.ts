import { invalidPattern } from './errors';
import { type CidrRange, ipInRange, parseCidr } from './ip-range';

/**
 * The EventBridge rule language ("event patterns"), compiled once and matched many times.
 *
 * Semantics follow AWS's event-ruler: every field of a pattern must match (AND); a leaf is an array of match values
 * of which one must match (OR); an event array matches if any element matches; `$or` (at any level) needs one of its
 * objects to match; `exists` only sees leaf values (not objects); a pattern over an array of objects must match within
 * one element. Validation errors carry event-ruler's wording inside `InvalidEventPatternException`.
 */

/** A JSON value as it appears in events and patterns. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type Leaf = null | boolean | number | string;
type Json = unknown;

type ValueMatcher = (value: Leaf) => boolean;

interface LeafField {
  readonly kind: 'leaf';
  readonly key: string;
  readonly matchers: readonly ValueMatcher[];
  readonly existsTrue: boolean;
  readonly existsFalse: boolean;
}

interface NodeField {
  readonly kind: 'node';
  readonly key: string;
  readonly node: PatternNode;
}

interface PatternNode {
  readonly fields: readonly (LeafField | NodeField)[];
  /** Each group is one `$or`: at least one of its alternatives must match. */
  readonly ors: readonly (readonly PatternNode[])[];
}

/** A validated, compiled event pattern. */
export interface CompiledPattern {
  readonly source: string;
  matches(event: unknown): boolean;
}

const MATCH_TYPES = new Set([
  'exact',
  'prefix',
  'suffix',
  'numeric',
  'anything-but',
  'exists',
  'cidr',
  'equals-ignore-case',
  'wildcard',
]);

class PatternSyntaxError extends Error {}

const barf = (message: string): never => {
  throw new PatternSyntaxError(message);
};

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const own = (object: Record<string, Json>, key: string): Json =>
  Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;

const lower = (text: string): string => text.toLowerCase();

// ---------------------------------------------------------------------------------------------------------------
// Wildcards: `*` is any run of characters, `\*` a literal star, `\\` a literal backslash.

function compileWildcard(pattern: string): RegExp {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') barf(`Invalid escape character at pos ${i + 1}`);
      source += `\\${next ?? ''}`;
      i++;
    } else if (char === '*') {
      if (pattern[i + 1] === '*') barf(`Consecutive wildcard characters at pos ${i + 1}`);
      source += '[\\s\\S]*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`${source}$`, 's');
}

// ---------------------------------------------------------------------------------------------------------------
// Numeric ranges

type Comparison = (value: number) => boolean;

function numericOperand(operator: string, value: Json): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return barf(`Value of ${operator} must be numeric`);
  return value;
}

function compileNumeric(spec: Json): Comparison {
  if (!Array.isArray(spec)) return barf('Value of numeric must be an array.');
  const [first, firstValue, second, secondValue, ...extra] = spec as Json[];
  if (typeof first !== 'string')
    return barf(`Invalid member in numeric match: ${JSON.stringify(first ?? null)}`);
  const tooMany = (): never => barf('Too many elements in numeric expression');
  switch (first) {
    case '=': {
      const n = numericOperand('equals', firstValue);
      if (spec.length > 2) tooMany();
      return (value) => value === n;
    }
    case '<':
    case '<=': {
      const n = numericOperand(first, firstValue);
      if (spec.length > 2) tooMany();
      return first === '<' ? (value) => value < n : (value) => value <= n;
    }
    case '>':
    case '>=': {
      const bottom = numericOperand(first, firstValue);
      const lowOk: Comparison = first === '>' ? (value) => value > bottom : (value) => value >= bottom;
      if (spec.length === 2) return lowOk;
      if (typeof second !== 'string')
        return barf(`Bad value in numeric range: ${JSON.stringify(second ?? null)}`);
      if (second !== '<' && second !== '<=') return barf(`Bad numeric range operator: ${second}`);
      const top = numericOperand(second, secondValue);
      if (extra.length > 0) barf('Too many terms in numeric range expression');
      if (bottom >= top) barf('Bottom must be less than top');
      const highOk: Comparison = second === '<' ? (value) => value < top : (value) => value <= top;
      return (value) => lowOk(value) && highOk(value);
    }
    default:
      return barf(`Unrecognized numeric range operator: ${first}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Match expressions ({ "prefix": ... } etc.)

function onlyKey(expression: Record<string, Json>, count = 1): void {
  if (Object.keys(expression).length > count) barf('Only one key allowed in match expression');
}

function stringOperand(value: Json, message: string): string {
  if (typeof value !== 'string') return barf(message);
  return value;
}

/** `{ "prefix": "x" }` or `{ "prefix": { "equals-ignore-case": "x" } }` (and the same for suffix). */
function compileAffix(kind: 'prefix' | 'suffix', spec: Json): ValueMatcher {
  const test =
    kind === 'prefix' ? (v: string, p: string) => v.startsWith(p) : (v: string, p: string) => v.endsWith(p);
  if (isObject(spec)) {
    const keys = Object.keys(spec);
    const op = keys[0];
    if (op === undefined) return barf(`${kind === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found`);
    if (op !== 'equals-ignore-case') return barf(`Unsupported ${kind} pattern: ${op}`);
    if (keys.length > 1) barf('Only one key allowed in match expression');
    const text = lower(stringOperand(spec[op], 'equals-ignore-case match pattern must be a string'));
    return (value) => typeof value === 'string' && test(lower(value), text);
  }
  const text = stringOperand(spec, `${kind} match pattern must be a string`);
  return (value) => typeof value === 'string' && test(value, text);
}

function compileAnythingBut(spec: Json): ValueMatcher {
  if (isObject(spec)) {
    const keys = Object.keys(spec);
    const op = keys[0];
    if (op === undefined) return barf('Anything-But expression name not found');
    if (!['equals-ignore-case', 'prefix', 'suffix', 'wildcard'].includes(op)) {
      return barf(`Unsupported anything-but pattern: ${op}`);
    }
    if (keys.length > 1) barf('Too many elements in numeric expression');
    const operand = spec[op];
    const list = Array.isArray(operand) ? (operand as Json[]) : [operand];
    if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') {
      barf('Value of anything-but must be an array or single string/number value.');
    }
    const texts = list.map((item) => {
      if (typeof item === 'string') {
        if ((op === 'prefix' || op === 'suffix') && item === '') barf('Null prefix/suffix not allowed');
        return item;
      }
      if (op === 'equals-ignore-case') {
        return barf(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
        );
      }
      return barf(
        op === 'wildcard'
          ? 'wildcard match pattern must be a string'
          : 'prefix/suffix match pattern must be a string',
      );
    });
    let inner: (value: string) => boolean;
    switch (op) {
      case 'equals-ignore-case': {
        const set = new Set(texts.map(lower));
        inner = (value) => set.has(lower(value));
        break;
      }
      case 'prefix':
        inner = (value) => texts.some((text) => value.startsWith(text));
        break;
      case 'suffix':
        inner = (value) => texts.some((text) => value.endsWith(text));
        break;
      default: {
        const regexes = texts.map(compileWildcard);
        inner = (value) => regexes.some((regex) => regex.test(value));
      }
    }
    return (value) => typeof value !== 'string' || !inner(value);
  }
  if (Array.isArray(spec)) {
    let hasString = false;
    let hasNumber = false;
    for (const item of spec as Json[]) {
      if (typeof item === 'string') hasString = true;
      else if (typeof item === 'number') hasNumber = true;
      else barf('Inside anything but list, start|null|boolean is not supported.');
    }
    if (hasString === hasNumber) {
      barf('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    const set = new Set<Json>(spec as Json[]);
    return hasNumber
      ? (value) => !(typeof value === 'number' && set.has(value))
      : (value) => !(typeof value === 'string' && set.has(value));
  }
  if (typeof spec === 'string') return (value) => value !== spec;
  if (typeof spec === 'number') return (value) => !(typeof value === 'number' && value === spec);
  return barf('Value of anything-but must be an array or single string/number value.');
}

type CompiledValue = ValueMatcher | 'exists' | 'absent';

function compileMatchExpression(expression: Record<string, Json>): CompiledValue {
  const matchType = Object.keys(expression)[0];
  if (matchType === undefined) return barf('Match expression name not found');
  const spec = expression[matchType];
  switch (matchType) {
    case 'exact': {
      onlyKey(expression);
      const text = stringOperand(spec, 'exact match pattern must be a string');
      return (value) => value === text;
    }
    case 'prefix':
    case 'suffix':
      onlyKey(expression);
      return compileAffix(matchType, spec);
    case 'numeric': {
      const comparison = compileNumeric(spec);
      if (Object.keys(expression).length > 1) barf('Too many elements in numeric expression');
      return (value) => typeof value === 'number' && comparison(value);
    }
    case 'anything-but': {
      const matcher = compileAnythingBut(spec);
      if (Object.keys(expression).length > 1) barf('Too many elements in numeric expression');
      return matcher;
    }
    case 'exists':
      if (typeof spec !== 'boolean') return barf('exists match pattern must be either true or false.');
      onlyKey(expression);
      return spec ? 'exists' : 'absent';
    case 'cidr': {
      const text = stringOperand(spec, 'prefix match pattern must be a string');
      let range: CidrRange;
      try {
        range = parseCidr(text);
      } catch (error) {
        return barf((error as Error).message);
      }
      onlyKey(expression);
      return (value) => typeof value === 'string' && ipInRange(value, range);
    }
    case 'equals-ignore-case': {
      onlyKey(expression);
      const text = lower(stringOperand(spec, 'equals-ignore-case match pattern must be a string'));
      return (value) => typeof value === 'string' && lower(value) === text;
    }
    case 'wildcard': {
      const regex = compileWildcard(stringOperand(spec, 'wildcard match pattern must be a string'));
      onlyKey(expression);
      return (value) => typeof value === 'string' && regex.test(value);
    }
    default:
      return barf(`Unrecognized match type ${matchType}`);
  }
}

function compileLeaf(key: string, values: Json[]): LeafField {
  if (values.length === 0) barf('Empty arrays are not allowed');
  const matchers: ValueMatcher[] = [];
  let existsTrue = false;
  let existsFalse = false;
  for (const item of values) {
    if (isObject(item)) {
      const compiled = compileMatchExpression(item);
      if (compiled === 'exists') existsTrue = true;
      else if (compiled === 'absent') existsFalse = true;
      else matchers.push(compiled);
    } else if (typeof item === 'string' || typeof item === 'boolean' || item === null) {
      matchers.push((value) => value === item);
    } else if (typeof item === 'number') {
      matchers.push((value) => typeof value === 'number' && value === item);
    } else {
      barf('Match value must be String, number, true, false, or null');
    }
  }
  return { kind: 'leaf', key, matchers, existsTrue, existsFalse };
}

function compileNode(pattern: Record<string, Json>, insideOr: boolean): PatternNode {
  const keys = Object.keys(pattern);
  if (keys.length === 0) barf('Empty objects are not allowed');
  const fields: (LeafField | NodeField)[] = [];
  const ors: PatternNode[][] = [];
  for (const key of keys) {
    const value = pattern[key];
    if (key === '$or') {
      if (!Array.isArray(value)) barf('It must be an Array followed with $or.');
      const alternatives = (value as Json[]).map((alternative) =>
        isObject(alternative)
          ? compileNode(alternative, true)
          : barf('Only JSON object is allowed in array of $or relationship.'),
      );
      if (alternatives.length < 2) barf('There must have at least 2 Objects in $or relationship.');
      ors.push(alternatives);
      continue;
    }
    if (insideOr && MATCH_TYPES.has(key))
      barf(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (isObject(value)) fields.push({ kind: 'node', key, node: compileNode(value, insideOr) });
    else if (Array.isArray(value)) fields.push(compileLeaf(key, value as Json[]));
    else barf(`"${key}" must be an object or an array`);
  }
  return { fields, ors };
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

function collectLeaves(value: Json, out: Leaf[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectLeaves(item as Json, out);
  } else if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    out.push(value);
  }
}

function collectObjects(value: Json, out: Record<string, Json>[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectObjects(item as Json, out);
  } else if (isObject(value)) {
    out.push(value);
  }
}

function matchLeaf(field: LeafField, value: Json): boolean {
  const leaves: Leaf[] = [];
  collectLeaves(value, leaves);
  if (leaves.length === 0) return field.existsFalse;
  if (field.existsTrue) return true;
  for (const matcher of field.matchers) {
    for (const leaf of leaves) if (matcher(leaf)) return true;
  }
  return false;
}

function matchObject(node: PatternNode, object: Record<string, Json> | undefined): boolean {
  for (const field of node.fields) {
    const value = object === undefined ? undefined : own(object, field.key);
    if (!(field.kind === 'leaf' ? matchLeaf(field, value) : matchValue(field.node, value))) return false;
  }
  for (const group of node.ors) {
    if (!group.some((alternative) => matchObject(alternative, object))) return false;
  }
  return true;
}

function matchValue(node: PatternNode, value: Json): boolean {
  if (isObject(value)) return matchObject(node, value);
  const objects: Record<string, Json>[] = [];
  collectObjects(value, objects);
  if (objects.length === 0) return matchObject(node, undefined);
  return objects.some((object) => matchObject(node, object));
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

const cache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 1000;

/**
 * Validates and compiles an event pattern (a JSON string or an already-parsed object).
 * @throws EventBridgeError `InvalidEventPatternException` with EventBridge's reason text.
 */
export function compilePattern(pattern: string | object): CompiledPattern {
  const source = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  const cached = cache.get(source);
  if (cached) return cached;
  let parsed: Json;
  try {
    parsed = typeof pattern === 'string' ? (JSON.parse(pattern) as Json) : pattern;
  } catch (error) {
    throw invalidPattern(`Unexpected character in pattern: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw invalidPattern('Filter is not an object');
  let root: PatternNode;
  try {
    root = compileNode(parsed, false);
  } catch (error) {
    if (error instanceof PatternSyntaxError) throw invalidPattern(error.message);
    throw error;
  }
  const compiled: CompiledPattern = {
    source,
    matches: (event) => matchObject(root, isObject(event) ? event : undefined),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/**
 * True if `event` (the full EventBridge envelope: source, detail-type, account, region, time, resources, detail, ...)
 * matches `pattern`. Throws `InvalidEventPatternException` if the pattern is not valid.
 */
export function matchesPattern(pattern: string | object, event: unknown): boolean {
  return compilePattern(pattern).matches(event);
}
