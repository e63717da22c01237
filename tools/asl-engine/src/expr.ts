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
import { JacksonNumber, plainJson, restoreJackson } from './json-text';
import type { JsonObject, JsonValue } from './types';

export type Scope = EvaluationScope;

/** Reads a Path / Reference Path (`$...`, `$$...`, `$var...`). */
export function evalPath(path: string, scope: Scope, field?: string): JsonValue {
  // An object or array selected from the input keeps its Jackson doubles.
  return restoreJackson(evaluatePathOrVariable(path, scope, field));
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
  const value = applyPayloadTemplate(template, scope, field);
  // Objects and arrays a `.$` path selected keep their Jackson doubles; variables hold plain values (expressions
  // read them as they are).
  return field === 'Assign' ? value : restoreJackson(value);
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
function plainStates<
  T extends { input: JsonValue; context: JsonValue; result?: JsonValue; errorOutput?: JsonValue },
>(states: T): T {
  const input = plainJson(states.input);
  const context = plainJson(states.context);
  const result = plainJson(states.result);
  const errorOutput = plainJson(states.errorOutput);
  if (
    input === states.input &&
    context === states.context &&
    result === states.result &&
    errorOutput === states.errorOutput
  )
    return states;
  return {
    ...states,
    input,
    context,
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
