/**
 * The expression layer of the ASL engine: pure functions the interpreter calls to read paths, build payloads,
 * run intrinsic functions, write ResultPath, evaluate Choice rules and evaluate JSONata. Errors are
 * {@link StatesError}s named and worded as AWS Step Functions names and words them.
 */
export { StatesError, StatesErrorName, withStatePrefix } from './errors';
export type { JsonObject, JsonValue } from './json';
export { isJsonObject, jsonEquals, toJsonText } from './json';
export type { EvaluationScope } from './scope';
export {
  JsonPathNotFoundError,
  JsonPathSyntaxError,
  evaluateJsonPath,
  parseJsonPath,
  tryEvaluateJsonPath,
  type ParsedPath,
} from './jsonpath';
export {
  evaluatePathOrVariable,
  isReferencePath,
  isValidJsonPath,
  pathKind,
  readPath,
  readPathForField,
  type PathKind,
} from './paths';
export { applyPayloadTemplate, evaluateDollarValue } from './payload-template';
export {
  ARRAY_RANGE_LIMIT,
  ENCODING_INPUT_LIMIT,
  HASH_ALGORITHMS,
  INTRINSIC_FUNCTION_NAMES,
  evaluateIntrinsic,
  formatArgument,
  type IntrinsicOptions,
} from './intrinsics/functions';
export {
  IntrinsicSyntaxError,
  isIntrinsicCall,
  parseIntrinsic,
  type IntrinsicCall,
} from './intrinsics/parser';
export { writeResultPath } from './result-path';
export {
  CHOICE_COMPARISON_OPERATORS,
  evaluateChoiceRule,
  isChoiceOperator,
  stringMatches,
  type ChoiceRuleJsonPath,
} from './choice';
export { parseTimestamp, timestampToEpochMs } from './timestamp';
export {
  containsJsonata,
  evaluateJsonataCondition,
  evaluateJsonataExpression,
  evaluateJsonataTemplate,
  isJsonataExpression,
  jsonataBody,
  jsonataTypeOf,
  requireJsonataType,
  type JsonataOptions,
  type JsonataStates,
} from './jsonata';
export { JavaRandom } from './java-random';
