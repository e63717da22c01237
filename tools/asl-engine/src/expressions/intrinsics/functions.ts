/**
 * The 18 intrinsic functions of the Amazon States Language, with AWS's documented argument rules and limits.
 * Every failure is a {@link StatesError} `States.Runtime` (AWS reports intrinsic failures under that name).
 */
import { createHash, randomUUID } from 'node:crypto';

import { StatesError, StatesErrorName } from '../errors';
import { type JsonObject, type JsonValue, isJsonObject, jsonEquals, toJsonText } from '../json';
import { JavaRandom } from '../java-random';
import type { EvaluationScope } from '../scope';
import { evaluatePathOrVariable } from '../paths';
import { type IntrinsicArgument, type IntrinsicCall, IntrinsicSyntaxError, parseIntrinsic } from './parser';

/** Largest array States.ArrayRange may produce. */
export const ARRAY_RANGE_LIMIT = 1000;
/** Largest input (characters) of Base64Encode, Base64Decode and Hash. */
export const ENCODING_INPUT_LIMIT = 10_000;
/** The algorithms States.Hash accepts. */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** Options for evaluating intrinsics. */
export interface IntrinsicOptions {
  /** The field being evaluated (e.g. `x.$`), for path-miss messages. */
  readonly fieldName?: string;
  /** Source of randomness for unseeded MathRandom and UUID (defaults to crypto/Math.random). */
  readonly random?: () => number;
}

function fail(cause: string): never {
  throw new StatesError(StatesErrorName.Runtime, cause);
}

/**
 * Evaluates an intrinsic function expression such as `States.Format('Hello {}', $.name)` on the scope.
 */
export function evaluateIntrinsic(
  expr: string,
  scope: EvaluationScope,
  options: IntrinsicOptions = {},
): JsonValue {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(expr);
  } catch (e) {
    if (e instanceof IntrinsicSyntaxError) fail(e.message);
    throw e;
  }
  return evaluateCall(call, scope, options);
}

function evaluateArgument(
  arg: IntrinsicArgument,
  scope: EvaluationScope,
  options: IntrinsicOptions,
): JsonValue {
  switch (arg.kind) {
    case 'string':
    case 'literal':
      return arg.value;
    case 'path':
      return evaluatePathOrVariable(arg.path, scope, options.fieldName);
    case 'call':
      return evaluateCall(arg.call, scope, options);
  }
}

type Impl = (args: JsonValue[], call: IntrinsicCall, options: IntrinsicOptions) => JsonValue;

function evaluateCall(call: IntrinsicCall, scope: EvaluationScope, options: IntrinsicOptions): JsonValue {
  const impl = FUNCTIONS[call.name];
  if (!impl) fail(`The intrinsic function '${call.name}' is not supported.`);
  const args = call.args.map((a) => evaluateArgument(a, scope, options));
  return impl(args, call, options);
}

// ---------------------------------------------------------------- argument helpers

function arity(name: string, args: JsonValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    fail(
      `The function ${name} expects ${expected} argument${min === 1 && max === 1 ? '' : 's'}, but ${args.length} ${args.length === 1 ? 'was' : 'were'} provided.`,
    );
  }
}

function typeName(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isJsonObject(v)) return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function wantArray(name: string, v: JsonValue, position: string): JsonValue[] {
  if (!Array.isArray(v))
    fail(`The ${position} argument of ${name} must be an array, but was ${typeName(v)}: ${toJsonText(v)}`);
  return v;
}

function wantString(name: string, v: JsonValue, position: string): string {
  if (typeof v !== 'string')
    fail(`The ${position} argument of ${name} must be a string, but was ${typeName(v)}: ${toJsonText(v)}`);
  return v;
}

function wantInteger(name: string, v: JsonValue, position: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    fail(`The ${position} argument of ${name} must be an integer, but was ${typeName(v)}: ${toJsonText(v)}`);
  }
  return v;
}

/** AWS rounds non-integer MathAdd/MathRandom arguments to the nearest integer (Java Math.round). */
function wantRoundedNumber(name: string, v: JsonValue, position: string): number {
  if (typeof v !== 'number')
    fail(`The ${position} argument of ${name} must be a number, but was ${typeName(v)}: ${toJsonText(v)}`);
  return Math.floor(v + 0.5);
}

// ---------------------------------------------------------------- States.Format rendering

/** Renders a value as Java's toString does for AWS's Format arguments: strings raw, maps as `{k=v, ...}`. */
export function formatArgument(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatArgument).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, val]) => `${k}=${formatArgument(val)}`)
    .join(', ')}}`;
}

function format(args: JsonValue[], call: IntrinsicCall): JsonValue {
  arity('States.Format', args, 1, Infinity);
  const first = call.args[0] as IntrinsicArgument;
  const template =
    first.kind === 'string' ? first.raw : wantString('States.Format', args[0] as JsonValue, 'first');
  const values = args.slice(1);
  let out = '';
  let used = 0;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    if (ch === '\\' && first.kind === 'string' && i + 1 < template.length) {
      const next = template[i + 1] as string;
      out += next === "'" || next === '{' || next === '}' || next === '\\' ? next : ch + next;
      i++;
      continue;
    }
    if (ch === '{' && template[i + 1] === '}') {
      if (used >= values.length) {
        fail(
          `Number of arguments in States.Format does not match the number of placeholders in the format string: ${values.length} argument(s) for more placeholders.`,
        );
      }
      out += formatArgument(values[used] as JsonValue);
      used++;
      i++;
      continue;
    }
    out += ch;
  }
  if (used !== values.length) {
    fail(
      `Number of arguments in States.Format does not match the number of placeholders in the format string: ${values.length} argument(s) for ${used} placeholder(s).`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- implementations

function stringSplit(args: JsonValue[]): JsonValue {
  arity('States.StringSplit', args, 2);
  const str = wantString('States.StringSplit', args[0] as JsonValue, 'first');
  const delimiters = wantString('States.StringSplit', args[1] as JsonValue, 'second');
  // java.util.StringTokenizer: every character of the second argument is a delimiter; empty tokens are dropped.
  const tokens: string[] = [];
  let current = '';
  for (const ch of str) {
    if (delimiters.includes(ch)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') tokens.push(current);
  return tokens;
}

function arrayPartition(args: JsonValue[]): JsonValue {
  arity('States.ArrayPartition', args, 2);
  const array = wantArray('States.ArrayPartition', args[0] as JsonValue, 'first');
  const size = wantInteger('States.ArrayPartition', args[1] as JsonValue, 'second');
  if (size <= 0)
    fail(`The chunk size argument of States.ArrayPartition must be a positive integer, but was: ${size}`);
  const out: JsonValue[] = [];
  for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
  return out;
}

function arrayRange(args: JsonValue[]): JsonValue {
  arity('States.ArrayRange', args, 3);
  const start = wantInteger('States.ArrayRange', args[0] as JsonValue, 'first');
  const end = wantInteger('States.ArrayRange', args[1] as JsonValue, 'second');
  const step = wantInteger('States.ArrayRange', args[2] as JsonValue, 'third');
  if (step === 0) fail('The step argument of States.ArrayRange must not be 0.');
  const count =
    (step > 0 && start > end) || (step < 0 && start < end) ? 0 : Math.floor((end - start) / step) + 1;
  if (count > ARRAY_RANGE_LIMIT) {
    fail(`States.ArrayRange would produce ${count} items, more than the maximum of ${ARRAY_RANGE_LIMIT}.`);
  }
  return Array.from({ length: count }, (_, i) => start + i * step);
}

function arrayGetItem(args: JsonValue[]): JsonValue {
  arity('States.ArrayGetItem', args, 2);
  const array = wantArray('States.ArrayGetItem', args[0] as JsonValue, 'first');
  const index = wantInteger('States.ArrayGetItem', args[1] as JsonValue, 'second');
  if (index < 0 || index >= array.length) {
    fail(
      `The index ${index} given to States.ArrayGetItem is out of bounds for an array of length ${array.length}.`,
    );
  }
  return array[index] as JsonValue;
}

function arrayUnique(args: JsonValue[]): JsonValue {
  arity('States.ArrayUnique', args, 1);
  const array = wantArray('States.ArrayUnique', args[0] as JsonValue, 'first');
  const out: JsonValue[] = [];
  for (const item of array) if (!out.some((o) => jsonEquals(o, item))) out.push(item);
  return out;
}

function base64Encode(args: JsonValue[]): JsonValue {
  arity('States.Base64Encode', args, 1);
  const str = wantString('States.Base64Encode', args[0] as JsonValue, 'first');
  if (str.length > ENCODING_INPUT_LIMIT) {
    fail(
      `The input of States.Base64Encode has ${str.length} characters, more than the maximum of ${ENCODING_INPUT_LIMIT}.`,
    );
  }
  return Buffer.from(str, 'utf8').toString('base64');
}

function base64Decode(args: JsonValue[]): JsonValue {
  arity('States.Base64Decode', args, 1);
  const str = wantString('States.Base64Decode', args[0] as JsonValue, 'first');
  if (str.length > ENCODING_INPUT_LIMIT) {
    fail(
      `The input of States.Base64Decode has ${str.length} characters, more than the maximum of ${ENCODING_INPUT_LIMIT}.`,
    );
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(str) || str.replace(/=+$/, '').length % 4 === 1) {
    fail(`The input of States.Base64Decode is not valid base64: ${str}`);
  }
  return Buffer.from(str, 'base64').toString('utf8');
}

function hash(args: JsonValue[]): JsonValue {
  arity('States.Hash', args, 2);
  const data = args[0] as JsonValue;
  const text = typeof data === 'string' ? data : toJsonText(data);
  if (text.length > ENCODING_INPUT_LIMIT) {
    fail(
      `The input of States.Hash has ${text.length} characters, more than the maximum of ${ENCODING_INPUT_LIMIT}.`,
    );
  }
  const algorithm = wantString('States.Hash', args[1] as JsonValue, 'second');
  const nodeAlgorithm = HASH_ALGORITHMS[algorithm];
  if (!nodeAlgorithm) {
    fail(
      `The hash algorithm '${algorithm}' is not supported by States.Hash. Supported: ${Object.keys(HASH_ALGORITHMS).join(', ')}.`,
    );
  }
  return createHash(nodeAlgorithm).update(text, 'utf8').digest('hex');
}

function jsonMerge(args: JsonValue[]): JsonValue {
  arity('States.JsonMerge', args, 3);
  const [a, b, deep] = args as [JsonValue, JsonValue, JsonValue];
  if (!isJsonObject(a))
    fail(
      `The first argument of States.JsonMerge must be a JSON object, but was ${typeName(a)}: ${toJsonText(a)}`,
    );
  if (!isJsonObject(b))
    fail(
      `The second argument of States.JsonMerge must be a JSON object, but was ${typeName(b)}: ${toJsonText(b)}`,
    );
  if (typeof deep !== 'boolean')
    fail(`The third argument of States.JsonMerge must be a boolean, but was ${typeName(deep)}.`);
  if (deep) fail('States.JsonMerge supports only a shallow merge: its third argument must be false.');
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = v;
  return out;
}

function mathRandom(args: JsonValue[], _call: IntrinsicCall, options: IntrinsicOptions): JsonValue {
  arity('States.MathRandom', args, 2, 3);
  const start = wantRoundedNumber('States.MathRandom', args[0] as JsonValue, 'first');
  const end = wantRoundedNumber('States.MathRandom', args[1] as JsonValue, 'second');
  if (end <= start)
    fail(
      `The end argument of States.MathRandom (${end}) must be greater than its start argument (${start}).`,
    );
  if (args.length === 3) {
    const seed = wantRoundedNumber('States.MathRandom', args[2] as JsonValue, 'third');
    return start + new JavaRandom(seed).nextInt(end - start);
  }
  const rnd = options.random ?? Math.random;
  return start + Math.floor(rnd() * (end - start));
}

function mathAdd(args: JsonValue[]): JsonValue {
  arity('States.MathAdd', args, 2);
  const a = wantRoundedNumber('States.MathAdd', args[0] as JsonValue, 'first');
  const b = wantRoundedNumber('States.MathAdd', args[1] as JsonValue, 'second');
  return a + b;
}

function uuid(args: JsonValue[], _call: IntrinsicCall, options: IntrinsicOptions): JsonValue {
  arity('States.UUID', args, 0);
  if (!options.random) return randomUUID();
  const rnd = options.random;
  const bytes = Array.from({ length: 16 }, () => Math.floor(rnd() * 256));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const FUNCTIONS: Readonly<Record<string, Impl>> = {
  'States.Format': (args, call) => format(args, call),
  'States.StringToJson': (args) => {
    arity('States.StringToJson', args, 1);
    const str = wantString('States.StringToJson', args[0] as JsonValue, 'first');
    // AWS parses an empty or blank string as null.
    if (str.trim() === '') return null;
    try {
      return JSON.parse(str, (_key, v: unknown) => (Object.is(v, -0) ? 0 : v)) as JsonValue;
    } catch {
      return fail(`The argument of States.StringToJson is not valid JSON text: ${str}`);
    }
  },
  'States.JsonToString': (args) => {
    arity('States.JsonToString', args, 1);
    return toJsonText(args[0] as JsonValue);
  },
  'States.Array': (args) => args,
  'States.ArrayPartition': arrayPartition,
  'States.ArrayContains': (args) => {
    arity('States.ArrayContains', args, 2);
    const array = wantArray('States.ArrayContains', args[0] as JsonValue, 'first');
    return array.some((item) => jsonEquals(item, args[1] as JsonValue));
  },
  'States.ArrayRange': arrayRange,
  'States.ArrayGetItem': arrayGetItem,
  'States.ArrayLength': (args) => {
    arity('States.ArrayLength', args, 1);
    return wantArray('States.ArrayLength', args[0] as JsonValue, 'first').length;
  },
  'States.ArrayUnique': arrayUnique,
  'States.Base64Encode': base64Encode,
  'States.Base64Decode': base64Decode,
  'States.Hash': hash,
  'States.JsonMerge': jsonMerge,
  'States.MathRandom': mathRandom,
  'States.MathAdd': mathAdd,
  'States.StringSplit': stringSplit,
  'States.UUID': uuid,
};

/** The names of every supported intrinsic function. */
export const INTRINSIC_FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS);
