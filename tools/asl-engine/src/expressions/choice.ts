/**
 * Choice rules in JSONPath mode: every comparison operator (and its `...Path` form), the type tests
 * (IsPresent, IsNull, IsNumeric, IsString, IsBoolean, IsTimestamp), StringMatches, and And/Or/Not.
 * A comparison between values of the wrong type is false, as in AWS; a path that does not resolve is
 * `States.Runtime` (except under IsPresent).
 */
import { StatesError, StatesErrorName } from './errors';
import { type JsonObject, type JsonValue, isJsonObject } from './json';
import { JsonPathNotFoundError, JsonPathSyntaxError } from './jsonpath';
import { evaluatePathOrVariable } from './paths';
import type { EvaluationScope } from './scope';
import { parseTimestamp } from './timestamp';

/** A JSONPath-mode Choice rule (or a nested rule of And/Or/Not) as written in the definition. */
export type ChoiceRuleJsonPath = JsonObject;

type Kind = 'string' | 'numeric' | 'boolean' | 'timestamp';
type Cmp = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const COMPARISONS: Readonly<Record<string, { kind: Kind; cmp: Cmp }>> = (() => {
  const out: Record<string, { kind: Kind; cmp: Cmp }> = {};
  const kinds: [string, Kind][] = [
    ['String', 'string'],
    ['Numeric', 'numeric'],
    ['Boolean', 'boolean'],
    ['Timestamp', 'timestamp'],
  ];
  const cmps: Cmp[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
  for (const [prefix, kind] of kinds) {
    for (const cmp of cmps) {
      if (kind === 'boolean' && cmp !== 'Equals') continue;
      out[`${prefix}${cmp}`] = { kind, cmp };
    }
  }
  return out;
})();

const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

/** The comparison operators a rule may use (without the `Path` forms, which are these names + `Path`). */
export const CHOICE_COMPARISON_OPERATORS: readonly string[] = [
  ...Object.keys(COMPARISONS),
  'StringMatches',
  ...TYPE_TESTS,
];

/** True if `name` is an operator field of a comparison rule (including the `...Path` forms). */
export function isChoiceOperator(name: string): boolean {
  if (CHOICE_COMPARISON_OPERATORS.includes(name)) return true;
  return (
    name.endsWith('Path') &&
    name !== 'Path' &&
    Object.prototype.hasOwnProperty.call(COMPARISONS, name.slice(0, -4))
  );
}

function invalidPath(path: string): StatesError {
  return new StatesError(
    StatesErrorName.Runtime,
    `Invalid path '${path}': The choice state's condition path references an invalid value.`,
  );
}

function readChoicePath(path: string, scope: EvaluationScope): JsonValue {
  try {
    return evaluatePathOrVariable(path, scope);
  } catch (e) {
    if (e instanceof StatesError || e instanceof JsonPathNotFoundError || e instanceof JsonPathSyntaxError) {
      throw invalidPath(path);
    }
    throw e;
  }
}

function tryReadChoicePath(path: string, scope: EvaluationScope): JsonValue | undefined {
  try {
    return evaluatePathOrVariable(path, scope);
  } catch (e) {
    if (e instanceof StatesError) return undefined;
    throw e;
  }
}

/**
 * `StringMatches`: `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash.
 */
export function stringMatches(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1] as string;
      re += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    } else if (ch === '*') re += '[\\s\\S]*';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(value);
}

function compareOrdered<T extends number | string | bigint>(a: T, b: T, cmp: Cmp): boolean {
  switch (cmp) {
    case 'Equals':
      return a === b;
    case 'LessThan':
      return a < b;
    case 'GreaterThan':
      return a > b;
    case 'LessThanEquals':
      return a <= b;
    case 'GreaterThanEquals':
      return a >= b;
  }
}

function evaluateComparison(kind: Kind, cmp: Cmp, value: JsonValue, expected: JsonValue): boolean {
  switch (kind) {
    case 'string':
      return (
        typeof value === 'string' && typeof expected === 'string' && compareOrdered(value, expected, cmp)
      );
    case 'numeric':
      return (
        typeof value === 'number' && typeof expected === 'number' && compareOrdered(value, expected, cmp)
      );
    case 'boolean':
      return typeof value === 'boolean' && typeof expected === 'boolean' && value === expected;
    case 'timestamp': {
      if (typeof value !== 'string' || typeof expected !== 'string') return false;
      const a = parseTimestamp(value);
      const b = parseTimestamp(expected);
      return a !== undefined && b !== undefined && compareOrdered(a, b, cmp);
    }
  }
}

/** Evaluates a JSONPath-mode Choice rule against the scope. */
export function evaluateChoiceRule(rule: ChoiceRuleJsonPath, scope: EvaluationScope): boolean {
  const and = rule['And'];
  if (and !== undefined) {
    if (!Array.isArray(and))
      throw new StatesError(StatesErrorName.Runtime, 'The And operator requires an array of rules.');
    return and.every((r) => evaluateChoiceRule(asRule(r), scope));
  }
  const or = rule['Or'];
  if (or !== undefined) {
    if (!Array.isArray(or))
      throw new StatesError(StatesErrorName.Runtime, 'The Or operator requires an array of rules.');
    return or.some((r) => evaluateChoiceRule(asRule(r), scope));
  }
  const not = rule['Not'];
  if (not !== undefined) return !evaluateChoiceRule(asRule(not), scope);

  const variable = rule['Variable'];
  if (typeof variable !== 'string') {
    throw new StatesError(
      StatesErrorName.Runtime,
      'A Choice rule needs a Variable (a path) and one comparison operator.',
    );
  }
  const operator = Object.keys(rule).find(isChoiceOperator);
  if (operator === undefined) {
    throw new StatesError(
      StatesErrorName.Runtime,
      `The Choice rule on '${variable}' has no comparison operator.`,
    );
  }
  const operand = rule[operator] as JsonValue;

  if (operator === 'IsPresent') {
    const present = tryReadChoicePath(variable, scope) !== undefined;
    return present === operand;
  }
  const value = readChoicePath(variable, scope);
  switch (operator) {
    case 'IsNull':
      return (value === null) === operand;
    case 'IsNumeric':
      return (typeof value === 'number') === operand;
    case 'IsString':
      return (typeof value === 'string') === operand;
    case 'IsBoolean':
      return (typeof value === 'boolean') === operand;
    case 'IsTimestamp':
      return (typeof value === 'string' && parseTimestamp(value) !== undefined) === operand;
    case 'StringMatches':
      return typeof value === 'string' && typeof operand === 'string' && stringMatches(value, operand);
    default:
      break;
  }
  const isPathForm = !Object.prototype.hasOwnProperty.call(COMPARISONS, operator);
  const spec = COMPARISONS[isPathForm ? operator.slice(0, -4) : operator] as { kind: Kind; cmp: Cmp };
  let expected: JsonValue = operand;
  if (isPathForm) {
    if (typeof operand !== 'string') {
      throw new StatesError(StatesErrorName.Runtime, `The value of ${operator} must be a path.`);
    }
    expected = readChoicePath(operand, scope);
  }
  return evaluateComparison(spec.kind, spec.cmp, value, expected);
}

function asRule(v: JsonValue): ChoiceRuleJsonPath {
  if (!isJsonObject(v)) throw new StatesError(StatesErrorName.Runtime, 'A Choice rule must be an object.');
  return v;
}
