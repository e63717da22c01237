/**
 * Payload templates (Parameters, ResultSelector, ItemSelector, Assign in JSONPath mode): a key ending in `.$`
 * takes its value from a path (`$...` input, `$$...` context, `$name...` variable) or an intrinsic function call,
 * and loses the `.$` suffix; other values are copied; objects and arrays are processed recursively.
 */
import { StatesError, StatesErrorName } from './errors';
import { type JsonObject, type JsonValue, isJsonObject, toJsonText } from './json';
import { evaluateIntrinsic, type IntrinsicOptions } from './intrinsics/functions';
import { isIntrinsicCall } from './intrinsics/parser';
import { evaluatePathOrVariable, pathKind } from './paths';
import type { EvaluationScope } from './scope';

/**
 * Evaluates the value of one `.$` field: a path or an intrinsic call. `fieldName` is the key as written
 * (e.g. `value.$`), used in error causes.
 */
export function evaluateDollarValue(
  expr: JsonValue,
  scope: EvaluationScope,
  fieldName: string,
  options: Omit<IntrinsicOptions, 'fieldName'> = {},
): JsonValue {
  if (typeof expr !== 'string') {
    throw new StatesError(
      StatesErrorName.Runtime,
      `The value of the field '${fieldName}' must be a JSONPath or an intrinsic function, but was ${toJsonText(expr)}`,
    );
  }
  if (isIntrinsicCall(expr)) return evaluateIntrinsic(expr.trim(), scope, { ...options, fieldName });
  if (pathKind(expr) !== undefined) return evaluatePathOrVariable(expr, scope, fieldName);
  throw new StatesError(
    StatesErrorName.Runtime,
    `The value of the field '${fieldName}' must be a JSONPath or an intrinsic function, but was '${expr}'`,
  );
}

/**
 * Applies a payload template to the scope. `fieldName` names the template's field (`Parameters`,
 * `ResultSelector`, `ItemSelector`, `Assign`); errors name the `.$` key that failed, as AWS does.
 */
export function applyPayloadTemplate(
  template: JsonValue,
  scope: EvaluationScope,
  fieldName: string,
  options: Omit<IntrinsicOptions, 'fieldName'> = {},
): JsonValue {
  void fieldName;
  return apply(template, scope, options);
}

function apply(
  template: JsonValue,
  scope: EvaluationScope,
  options: Omit<IntrinsicOptions, 'fieldName'>,
): JsonValue {
  if (Array.isArray(template)) return template.map((item) => apply(item, scope, options));
  if (!isJsonObject(template)) return template;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && key.length > 2) {
      out[key.slice(0, -2)] = evaluateDollarValue(value, scope, key, options);
    } else {
      out[key] = apply(value, scope, options);
    }
  }
  return out;
}
