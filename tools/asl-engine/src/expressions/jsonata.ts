/**
 * JSONata mode: `{% expression %}` strings (anywhere in a field's value, recursively through objects and arrays)
 * evaluated with the `jsonata` package, with `$states` (input, result, errorOutput, context) and the workflow
 * variables bound, plus the functions AWS adds ($partition, $range, $hash, $random, $uuid, $parse).
 * Failures are `States.QueryEvaluationError` worded as AWS words them, with `location` set to the field
 * (`Arguments/FunctionName`, `Output`, ...).
 */
import { createHash, randomUUID } from 'node:crypto';

import type jsonata from 'jsonata';

import { StatesError, StatesErrorName } from './errors';
import { HASH_ALGORITHMS } from './intrinsics/functions';
import { type JsonObject, type JsonValue, isJsonObject, toJsonText } from './json';
import { JavaRandom } from './java-random';

let jsonataModule: typeof jsonata | undefined;
/** The `jsonata` package, loaded on first use: a start whose definitions are all JSONPath does not pay for it. */
function jsonataCompiler(): typeof jsonata {
  jsonataModule ??= require('jsonata') as typeof jsonata;
  return jsonataModule;
}

/** What `$states` holds while a JSONata expression runs. */
export interface JsonataStates {
  readonly input: JsonValue;
  readonly context: JsonValue;
  readonly result?: JsonValue;
  readonly errorOutput?: JsonValue;
}

/** True if a string is a JSONata expression: it begins with `{%` and ends with `%}` (no surrounding spaces). */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

/** The expression text inside `{% ... %}`, trimmed. */
export function jsonataBody(value: string): string {
  return value.slice(2, -2).trim();
}

function queryError(cause: string, location: string): StatesError {
  return new StatesError(StatesErrorName.QueryEvaluationError, cause, location);
}

function jsonataFail(message: string): never {
  const err = new Error(message) as Error & { code: string };
  err.code = 'D3137';
  throw err;
}

function assertArray(value: unknown, fn: string): unknown[] {
  if (!Array.isArray(value)) jsonataFail(`The first argument of ${fn} must be an array`);
  return value;
}

function assertNumber(value: unknown, fn: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    jsonataFail(`The ${what} argument of ${fn} must be a number`);
  return value;
}

/** AWS's additional JSONata functions. */
const AWS_FUNCTIONS: readonly { name: string; impl: (...args: unknown[]) => unknown; signature: string }[] = [
  {
    name: 'partition',
    signature: '<an:a>',
    impl: (array, size) => {
      const items = assertArray(array, '$partition');
      const chunk = assertNumber(size, '$partition', 'second');
      if (!Number.isInteger(chunk) || chunk <= 0)
        jsonataFail('The chunk size argument of $partition must be a positive integer');
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += chunk) out.push(items.slice(i, i + chunk));
      return out;
    },
  },
  {
    name: 'range',
    signature: '<nnn:a>',
    impl: (start, end, step) => {
      const first = assertNumber(start, '$range', 'first');
      const last = assertNumber(end, '$range', 'second');
      const by = assertNumber(step, '$range', 'third');
      if (by === 0) jsonataFail('The step argument of $range must not be 0');
      if ((by > 0 && first > last) || (by < 0 && first < last)) return [];
      const count = Math.floor((last - first) / by) + 1;
      if (count > 1000) jsonataFail('$range cannot produce more than 1000 items');
      // AWS returns a JSONata sequence: a single item collapses to the item ($range(1, 9, 9) is 1).
      return count === 1 ? first : Array.from({ length: count }, (_, i) => first + i * by);
    },
  },
  {
    name: 'hash',
    signature: '<s-s:s>',
    impl: (value, algorithm) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const node = HASH_ALGORITHMS[String(algorithm)];
      if (!node) {
        jsonataFail(
          `The hash algorithm '${String(algorithm)}' is not supported. Supported: ${Object.keys(HASH_ALGORITHMS).join(', ')}`,
        );
      }
      return createHash(node).update(text, 'utf8').digest('hex');
    },
  },
  {
    name: 'random',
    signature: '<n?:n>',
    impl: (seed) =>
      seed === undefined
        ? Math.random()
        : new JavaRandom(assertNumber(seed, '$random', 'first')).nextDouble(),
  },
  { name: 'uuid', signature: '<:s>', impl: () => randomUUID() },
  {
    name: 'parse',
    signature: '<s-:x>',
    impl: (text) => {
      try {
        return JSON.parse(String(text)) as unknown;
      } catch {
        return jsonataFail(`The argument of $parse is not valid JSON text: ${String(text)}`);
      }
    },
  },
];

const compiled = new Map<string, jsonata.Expression>();

function compile(body: string, location: string, original: string): jsonata.Expression {
  const hit = compiled.get(body);
  if (hit) return hit;
  let expr: jsonata.Expression;
  try {
    expr = jsonataCompiler()(body);
  } catch (e) {
    throw queryError(
      `The JSONata expression '${original}' specified for the field '${location}' is invalid: ${errorMessage(e)}`,
      location,
    );
  }
  for (const fn of AWS_FUNCTIONS) {
    expr.registerFunction(fn.name, (...args: unknown[]) => fn.impl(...args), fn.signature);
  }
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(body, expr);
  return expr;
}

/** A JSONata error as AWS quotes it: `T1006: Attempted to invoke a non-function`. */
function errorText(e: unknown): string {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  const message = errorMessage(e);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (isJsonObject(e as JsonValue) && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
}

/** The JSONata type name of a value, as `$type` reports it (`undefined` for nothing). */
export function jsonataTypeOf(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'function') return 'function';
  return typeof value;
}

/** Converts a JSONata result to plain JSON; undefined if it holds something JSON cannot (a function). */
function toPlainJson(value: unknown): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const item of value) {
      if (item === undefined) continue;
      const plain = toPlainJson(item);
      if (plain === undefined) return undefined;
      out.push(plain);
    }
    return out;
  }
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      const plain = toPlainJson(v);
      if (plain === undefined) return undefined;
      out[k] = plain;
    }
    return out;
  }
  return undefined;
}

/** Evaluation options. */
export interface JsonataOptions {
  /**
   * The time of evaluation (epoch ms) for `$now()` and `$millis()`: pass the engine clock's now so that
   * expressions agree with a virtual clock. Defaults to the real time.
   */
  readonly nowMs?: number;
}

let fromMillis: jsonata.Expression | undefined;

function clockBindings(nowMs: number): Record<string, unknown> {
  return {
    millis: () => nowMs,
    now: async (picture?: string, timezone?: string): Promise<unknown> => {
      if (picture === undefined && timezone === undefined) return new Date(nowMs).toISOString();
      fromMillis ??= jsonataCompiler()('$fromMillis($ms, $picture, $timezone)');
      return fromMillis.evaluate({}, { ms: nowMs, picture, timezone });
    },
  };
}

function bindings(
  states: JsonataStates,
  variables: Readonly<Record<string, JsonValue>>,
  options: JsonataOptions,
): Record<string, unknown> {
  const statesBinding: Record<string, JsonValue> = { input: states.input, context: states.context };
  if (states.result !== undefined) statesBinding['result'] = states.result;
  if (states.errorOutput !== undefined) statesBinding['errorOutput'] = states.errorOutput;
  const clock = options.nowMs === undefined ? {} : clockBindings(options.nowMs);
  return { ...clock, ...variables, states: statesBinding };
}

/**
 * Evaluates one JSONata expression (the text inside `{% %}`) and returns its JSON result.
 * `location` is the field for messages (e.g. `Output`, `Arguments/FunctionName`).
 */
export async function evaluateJsonataExpression(
  body: string,
  states: JsonataStates,
  variables: Readonly<Record<string, JsonValue>>,
  location: string,
  options: JsonataOptions = {},
): Promise<JsonValue> {
  const expr = compile(body, location, body);
  let raw: unknown;
  try {
    raw = await expr.evaluate(states.input, bindings(states, variables, options));
  } catch (e) {
    throw queryError(
      `The JSONata expression '${body}' specified for the field '${location}' threw an error during evaluation. ${errorText(e)}`,
      location,
    );
  }
  if (raw === undefined) {
    throw queryError(
      `The JSONata expression '${body}' specified for the field '${location}' returned nothing (undefined).`,
      location,
    );
  }
  const plain = toPlainJson(raw);
  if (plain === undefined) {
    throw queryError(
      `The JSONata expression '${body}' specified for the field '${location}' returned an unsupported result type.`,
      location,
    );
  }
  return plain;
}

/**
 * Evaluates every `{% %}` string in a field's value, recursively through objects and arrays; other values are
 * kept as written. `fieldName` is the field (`Arguments`, `Output`, `Assign`, `Items`, ...); nested locations are
 * reported as `Field/key/subkey`.
 */
export async function evaluateJsonataTemplate(
  template: JsonValue,
  states: JsonataStates,
  variables: Readonly<Record<string, JsonValue>>,
  fieldName: string,
  options: JsonataOptions = {},
): Promise<JsonValue> {
  if (typeof template === 'string') {
    return isJsonataExpression(template)
      ? evaluateJsonataExpression(jsonataBody(template), states, variables, fieldName, options)
      : template;
  }
  if (Array.isArray(template)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < template.length; i++) {
      out.push(
        await evaluateJsonataTemplate(
          template[i] as JsonValue,
          states,
          variables,
          `${fieldName}/${i}`,
          options,
        ),
      );
    }
    return out;
  }
  if (isJsonObject(template)) {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(template)) {
      out[key] = await evaluateJsonataTemplate(value, states, variables, `${fieldName}/${key}`, options);
    }
    return out;
  }
  return template;
}

/** True if a template holds any `{% %}` expression (so a constant can skip evaluation). */
export function containsJsonata(template: JsonValue): boolean {
  if (typeof template === 'string') return isJsonataExpression(template);
  if (Array.isArray(template)) return template.some(containsJsonata);
  if (isJsonObject(template)) return Object.values(template).some(containsJsonata);
  return false;
}

/**
 * Checks a JSONata field's result type (e.g. `Items` must be an array, `Condition` a boolean), raising AWS's
 * `returned an unexpected result type. Expected 'array', but was 'boolean' for value: true`.
 */
export function requireJsonataType(
  value: JsonValue,
  expected: 'array' | 'boolean' | 'number' | 'string' | 'object',
  expression: string,
  fieldName: string,
): JsonValue {
  const actual = jsonataTypeOf(value);
  if (actual === expected) return value;
  const body = isJsonataExpression(expression) ? jsonataBody(expression) : expression;
  throw queryError(
    `The JSONata expression '${body}' specified for the field '${fieldName}' returned an unexpected result type. Expected '${expected}', but was '${actual}' for value: ${toJsonText(value)}`,
    fieldName,
  );
}

/** Evaluates a Choice rule's `Condition` (a `{% %}` string or a literal boolean) to a boolean. */
export async function evaluateJsonataCondition(
  condition: JsonValue,
  states: JsonataStates,
  variables: Readonly<Record<string, JsonValue>>,
  fieldName = 'Condition',
  options: JsonataOptions = {},
): Promise<boolean> {
  const value = await evaluateJsonataTemplate(condition, states, variables, fieldName, options);
  return (
    requireJsonataType(
      value,
      'boolean',
      typeof condition === 'string' ? condition : toJsonText(condition),
      fieldName,
    ) === true
  );
}
