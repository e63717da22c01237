/**
 * The interpreter's view of the expression layer (`./expressions`, pure functions): thin adapters that fix the
 * argument shapes the interpreter uses and turn expression errors into {@link AslError}s.
 */
import { AslError } from './errors';
import {
  StatesError,
  applyPayloadTemplate,
  evaluateChoiceRule,
  evaluateJsonataCondition,
  evaluateJsonataTemplate,
  evaluateDollarValue,
  evaluatePathOrVariable,
  requireJsonataType,
  timestampToEpochMs as parseTimestampMs,
  withStatePrefix,
  writeResultPath,
  type EvaluationScope,
} from './expressions';
import { JacksonNumber, plainJson } from './json-text';
import type { JsonObject, JsonValue } from './types';

export type Scope = EvaluationScope;

/** Reads a Path / Reference Path (`$...`, `$$...`, `$var...`). */
export function evalPath(path: string, scope: Scope, field?: string): JsonValue {
  return evaluatePathOrVariable(path, scope, field);
}

/** Reads a `.$`-style value: a path or an intrinsic function call (e.g. Fail ErrorPath/CausePath). */
export function evalDollar(expr: string, scope: Scope, field: string): JsonValue {
  return evaluateDollarValue(expr, scope, field);
}

/** Epoch ms of an RFC 3339 timestamp with offset (`Z` or `±hh:mm`), or undefined when it is not one. */
export function timestampToEpochMs(text: string): number | undefined {
  return parseTimestampMs(text);
}

/** Applies a JSONPath-mode payload template (Parameters, ResultSelector, ItemSelector, Assign). */
export function applyTemplate(template: JsonValue, scope: Scope, field: string): JsonValue {
  return applyPayloadTemplate(template, scope, field);
}

/** ResultPath semantics (`$`, null, or a path to write the result at). */
export function writeResult(input: JsonValue, resultPath: string | null, result: JsonValue): JsonValue {
  // A Jackson double is a number, not an object a path can write into.
  const data = (input as unknown) instanceof JacksonNumber ? plainJson(input) : input;
  return writeResultPath(data, resultPath, result);
}

/** Evaluates a JSONPath Choice rule. */
export function choiceRuleMatches(rule: JsonObject, scope: Scope): boolean {
  return evaluateChoiceRule(rule, scope);
}

/** `$states` with plain numbers: JSONata computes with numbers, not Jackson doubles. */
function plainStates<T extends { input: JsonValue; result?: JsonValue; errorOutput?: JsonValue }>(
  states: T,
): T {
  const input = plainJson(states.input);
  const result = plainJson(states.result);
  const errorOutput = plainJson(states.errorOutput);
  if (input === states.input && result === states.result && errorOutput === states.errorOutput) return states;
  return {
    ...states,
    input,
    ...(result !== undefined ? { result } : {}),
    ...(errorOutput !== undefined ? { errorOutput } : {}),
  };
}

/** Evaluates a JSONata template (`{% %}` strings anywhere inside). */
export async function evalJsonata(
  template: JsonValue,
  states: { input: JsonValue; context: JsonValue; result?: JsonValue; errorOutput?: JsonValue },
  variables: Readonly<Record<string, JsonValue>>,
  field: string,
  nowMs?: number,
): Promise<JsonValue> {
  return evaluateJsonataTemplate(
    template,
    plainStates(states),
    variables,
    field,
    nowMs === undefined ? {} : { nowMs },
  );
}

/** Evaluates a JSONata Choice `Condition`. */
export async function evalJsonataCondition(
  condition: JsonValue,
  states: { input: JsonValue; context: JsonValue },
  variables: Readonly<Record<string, JsonValue>>,
  field: string,
  nowMs?: number,
): Promise<boolean> {
  return evaluateJsonataCondition(
    condition,
    plainStates(states),
    variables,
    field,
    nowMs === undefined ? {} : { nowMs },
  );
}

/** Converts an expression-layer error into an AslError with AWS's state prefix; undefined if it is not one. */
export function toAslError(e: unknown, stateName: string, enteredEventId: number): AslError | undefined {
  if (e instanceof StatesError) {
    return new AslError(e.error, withStatePrefix(stateName, enteredEventId, e.cause), e.location);
  }
  return undefined;
}

/** Checks a JSONata field's result type (throws States.QueryEvaluationError as AWS words it). */
export function requireType(
  value: JsonValue,
  expected: 'array' | 'boolean' | 'number' | 'string' | 'object',
  expression: string,
  field: string,
): void {
  requireJsonataType(value, expected, expression, field);
}
