/**
 * Parser for intrinsic function calls: `States.Name(arg, ...)` where an argument is a quoted string
 * (`'...'` with the escapes `\'`, `\{`, `\}`, `\\`), a number, `true`/`false`/`null`, a path (`$.x`, `$$.x`,
 * `$var.x`) or a nested call.
 */

import type { JsonValue } from '../json';

/** One argument of an intrinsic call. */
export type IntrinsicArgument =
  | {
      readonly kind: 'string';
      readonly value: string;
      /** text between the quotes, escapes kept (States.Format needs them) */ readonly raw: string;
    }
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'call'; readonly call: IntrinsicCall };

/** A parsed `States.Name(...)` call. */
export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly IntrinsicArgument[];
}

/** An intrinsic expression that does not parse. */
export class IntrinsicSyntaxError extends Error {
  constructor(
    readonly expression: string,
    detail: string,
  ) {
    super(`The intrinsic function '${expression}' is invalid: ${detail}`);
    this.name = 'IntrinsicSyntaxError';
  }
}

const cache = new Map<string, IntrinsicCall>();

/** True if the string looks like an intrinsic call (`States.` followed by a name and `(`). */
export function isIntrinsicCall(expr: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(expr);
}

/** Parses an intrinsic call expression (cached). */
export function parseIntrinsic(expr: string): IntrinsicCall {
  const hit = cache.get(expr);
  if (hit) return hit;
  const p = new IntrinsicParser(expr);
  p.skipSpaces();
  const call = p.parseCall();
  p.skipSpaces();
  if (!p.atEnd()) p.fail(`unexpected text '${p.rest()}' after the call`);
  if (cache.size > 10_000) cache.clear();
  cache.set(expr, call);
  return call;
}

class IntrinsicParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  rest(): string {
    return this.src.slice(this.pos);
  }

  skipSpaces(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos] as string)) this.pos++;
  }

  fail(detail: string): never {
    throw new IntrinsicSyntaxError(this.src, detail);
  }

  parseCall(): IntrinsicCall {
    const m = /^States\.([A-Za-z0-9]+)\s*\(/.exec(this.rest());
    if (!m) this.fail('expected States.<Function>(');
    this.pos += m[0].length;
    const args: IntrinsicArgument[] = [];
    this.skipSpaces();
    if (this.src[this.pos] === ')') {
      this.pos++;
      return { name: `States.${m[1] as string}`, args };
    }
    for (;;) {
      this.skipSpaces();
      args.push(this.parseArgument());
      this.skipSpaces();
      const c = this.src[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return { name: `States.${m[1] as string}`, args };
      }
      this.fail(c === undefined ? "missing ')'" : `unexpected '${c}'`);
    }
  }

  private parseArgument(): IntrinsicArgument {
    const c = this.src[this.pos];
    if (c === "'") return this.parseString();
    if (c === '$') return { kind: 'path', path: this.parsePath() };
    if (this.rest().startsWith('States.')) return { kind: 'call', call: this.parseCall() };
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?=\s*[,)])/.exec(this.rest());
    if (m) {
      this.pos += (m[1] as string).length;
      return { kind: 'literal', value: JSON.parse(m[1] as string) as JsonValue };
    }
    this.fail(`unexpected argument at '${this.rest()}'`);
  }

  private parseString(): IntrinsicArgument {
    this.pos++; // opening quote
    let raw = '';
    let value = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos] as string;
      if (ch === '\\') {
        const next = this.src[this.pos + 1];
        if (next === undefined) this.fail('unterminated string');
        raw += ch + next;
        value += next === "'" || next === '{' || next === '}' || next === '\\' ? next : ch + next;
        this.pos += 2;
        continue;
      }
      if (ch === "'") {
        this.pos++;
        return { kind: 'string', value, raw };
      }
      raw += ch;
      value += ch;
      this.pos++;
    }
    this.fail('unterminated string');
  }

  /** A path runs to the next ',' or ')' outside brackets, parentheses and quotes. */
  private parsePath(): string {
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos] as string;
      if (quote) {
        if (ch === '\\') this.pos++;
        else if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '[' || ch === '(') depth++;
      else if (ch === ']' || (ch === ')' && depth > 0)) depth--;
      else if (depth === 0 && (ch === ',' || ch === ')')) break;
      this.pos++;
    }
    const path = this.src.slice(start, this.pos).trim();
    if (path.length === 0) this.fail('empty path');
    return path;
  }
}
