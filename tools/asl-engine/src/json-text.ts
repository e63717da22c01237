/**
 * JSON text as Step Functions reads and writes it. AWS runs on Java and keeps JSON in Jackson trees: a number
 * written with a fraction or an exponent is a `double` and is written back by `Double.toString` (`0.0` → `0.0`,
 * `1e2` → `100.0`, `-2.50` → `-2.5`, `0.0001` → `1.0E-4`, `12345678.0` → `1.2345678E7`); an integer of any size
 * is written back digit for digit. JavaScript's `JSON.parse`/`JSON.stringify` turn `0.0` into `0` and round big
 * integers, so an execution whose input is `0.0` would record `0` in its history and output where AWS records `0.0`.
 *
 * {@link parseJsonText} keeps such numbers as {@link JacksonNumber}s: `Number` objects that remember the text
 * Jackson would write. Everything else in the tree is what `JSON.parse` returns, and a text without such a number
 * (checked by one regular expression) is parsed by `JSON.parse` itself, so the common path costs what it did.
 * {@link stringifyJson} writes them back; until the first JacksonNumber is made it is `JSON.stringify`.
 * Expressions (JSONPath, intrinsics, Choice, JSONata, arithmetic) see plain numbers: {@link plainJson}.
 * Plain `JSON.stringify` of a tree with JacksonNumbers still works (a `Number` object is written as its number).
 *
 * Where the engine keeps them: the execution input, state inputs and outputs passed on unchanged, task payloads
 * and results (integrations get `parametersText` for the wire), ResultPath merges, Map items (`ItemsPath` `$`),
 * Parallel branches, callback outputs and the history, and objects and arrays that a path selects (InputPath,
 * OutputPath, ItemsPath, `.$` fields of Parameters, ResultSelector, ItemSelector: {@link restoreJackson}). A number
 * selected on its own (`"n.$": "$.n"`), a value computed by an intrinsic or JSONata, Assign variables and definition
 * literals (`Result`, `Parameters` constants, read by `JSON.parse`) are plain numbers: AWS would keep `1.0` there.
 *
 * Parsing uses `lossless-json` (which hands each number's text to a callback) on the slow path only; Node 20 has
 * neither `JSON.rawJSON` nor the source text in `JSON.parse` revivers.
 */
import { parse as losslessParse } from 'lossless-json';

import type { JsonValue } from './types';

/** How many JacksonNumbers this process has made: while 0, every tree is plain JSON (the fast paths). */
let made = 0;

/**
 * A JSON number that Jackson writes differently from JavaScript: `text` is Jackson's rendering, the `Number`
 * value is the (IEEE 754) number. Only {@link parseJsonText} makes them.
 */
export class JacksonNumber extends Number {
  constructor(
    value: number,
    /** The number as Jackson writes it, e.g. `0.0`, `100.0`, `1.0E-4`, `12345678901234567890`. */
    readonly text: string,
  ) {
    super(value);
    made++;
  }
}

/**
 * True when the text may hold a number token that Jackson writes differently from JavaScript: a fraction of zeros
 * (`1.0`, `100.00`), an exponent (`1e2`), eight or more integer digits with a fraction (`12345678.5`), a value
 * below 0.01 (`0.0001`), 15 or more fraction digits (which may round to an integer) or an integer of 16 digits or
 * more. Only number tokens count (after `:`, `,`, `[` or at the start, before `,`, `}`, `]` or the end), so a
 * timestamp such as `"00:00:00.000Z"` inside a string does not; a string holding such a token (`"a: 1.0, b"`)
 * only costs the slower parse.
 */
const MAY_NEED_JACKSON =
  /(?:^|[:,[])\s*-?(?:\d+\.0+|\d+(?:\.\d+)?[eE][-+]?\d+|\d{8,}\.\d+|0\.00\d+|\d+\.\d{15,}|\d{16,})\s*(?:[,}\]]|$)/;

/** True when {@link parseJsonText} has to read the text number by number (else `JSON.parse` reads it as Jackson would). */
export function mayHoldJacksonNumber(text: string): boolean {
  return MAY_NEED_JACKSON.test(text);
}

/** `Double.toString` of a finite double (Java's rendering: `1.0`, `0.001`, `1.0E-4`, `1.2345678E7`, `-0.0`). */
export function javaDoubleToString(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  // Scientific: shortest digits, one before the point, at least one after it, `E` and the bare exponent.
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** The value of one JSON number literal: a plain number, or a JacksonNumber when Jackson writes it differently. */
function numberOf(literal: string): number | JacksonNumber {
  const value = Number(literal);
  if (!Number.isFinite(value)) return value;
  if (!/[.eE]/.test(literal)) {
    // An integer: Jackson keeps every digit (int, long or BigInteger).
    if (Number.isSafeInteger(value) || literal.replace(/^-/, '').length < 16) return value;
    const digits = literal === '-0' ? '0' : literal;
    return String(value) === digits ? value : new JacksonNumber(value, digits);
  }
  const text = javaDoubleToString(value);
  return text === JSON.stringify(value) ? value : new JacksonNumber(value, text);
}

/** A key given twice keeps its last value, as `JSON.parse` and Jackson do. */
function lastWins(info: { newValue: unknown }): unknown {
  return info.newValue;
}

/**
 * Parses JSON text as Step Functions does: like `JSON.parse`, except that a number Jackson would write differently
 * (see the module comment) is a {@link JacksonNumber}. Throws `JSON.parse`'s SyntaxError for invalid text.
 */
export function parseJsonText(text: string): JsonValue {
  if (!mayHoldJacksonNumber(text)) return JSON.parse(text) as JsonValue;
  try {
    return losslessParse(text, null, { parseNumber: numberOf, onDuplicateKey: lastWins }) as JsonValue;
  } catch {
    // Invalid text: JSON.parse's own SyntaxError, as on the fast path.
    return JSON.parse(text) as JsonValue;
  }
}

const NONCE = Math.random().toString(36).slice(2, 10);
const OPEN = `\u{1F}jn${NONCE}:`;
const MARK = new RegExp(`"\\\\u001fjn${NONCE}:([^"\\\\]*)"`, 'g');

function markJacksonNumbers(_key: string, value: unknown): unknown {
  return value instanceof JacksonNumber ? `${OPEN}${value.text}` : value;
}

/** `JSON.stringify` that writes {@link JacksonNumber}s as Jackson does (compact, like AWS's history texts). */
export function stringifyJson(value: JsonValue): string {
  if (made === 0) return JSON.stringify(value);
  if (value instanceof JacksonNumber) return value.text;
  const text = JSON.stringify(value, markJacksonNumbers);
  return text.includes(NONCE) ? text.replace(MARK, '$1') : text;
}

/** Plain forms by container. The engine never mutates state data (it copies), so a container's form is fixed. */
const plainCache = new WeakMap<object, JsonValue>();
/** The container each plain copy was made from (for {@link restoreJackson}). */
const losslessByPlain = new WeakMap<object, JsonValue>();

/**
 * The same tree with every {@link JacksonNumber} as a plain number (containers without one are returned as they
 * are): what JSONPath, intrinsic functions, Choice rules and JSONata evaluate.
 */
export function plainJson<T extends JsonValue | undefined>(value: T): T {
  if (made === 0 || typeof value !== 'object' || value === null) return value;
  return toPlain(value as JsonValue) as T;
}

function toPlain(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Number) return value.valueOf();
  const cached = plainCache.get(value);
  if (cached !== undefined) return cached;
  let out: JsonValue = value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as JsonValue;
      const plain = toPlain(item);
      if (plain !== item) {
        if (out === value) out = value.slice();
        (out as JsonValue[])[i] = plain;
      }
    }
  } else {
    for (const key of Object.keys(value)) {
      const item = value[key] as JsonValue;
      const plain = toPlain(item);
      if (plain !== item) {
        if (out === value) out = { ...value };
        (out as Record<string, JsonValue>)[key] = plain;
      }
    }
  }
  plainCache.set(value, out);
  if (out !== value) losslessByPlain.set(out as object, value);
  return out;
}

/**
 * A value selected or built by an expression, with every container that is a plain copy made by {@link plainJson}
 * replaced by the container it was made from: `InputPath: $.order` or `"order.$": "$.order"` then keep the order's
 * `1.0`, as AWS does. A number selected on its own stays plain (its text is gone).
 */
export function restoreJackson<T extends JsonValue>(value: T): T {
  if (made === 0 || typeof value !== 'object' || value === null) return value;
  return restore(value as JsonValue) as T;
}

function restore(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null || value instanceof Number) return value;
  const original = losslessByPlain.get(value);
  if (original !== undefined) return original;
  // A container the expression built (a template, a filter's result): its members may be plain copies.
  let out: JsonValue = value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as JsonValue;
      const back = restore(item);
      if (back !== item) {
        if (out === value) out = value.slice();
        (out as JsonValue[])[i] = back;
      }
    }
  } else {
    for (const key of Object.keys(value)) {
      const item = value[key] as JsonValue;
      const back = restore(item);
      if (back !== item) {
        if (out === value) out = { ...value };
        (out as Record<string, JsonValue>)[key] = back;
      }
    }
  }
  return out;
}
