/**
 * Reading JSONPath, context (`$$`) and variable (`$name`) paths, with the errors AWS raises when they miss.
 */
import { StatesError, StatesErrorName } from './errors';
import { type JsonValue, toJsonText } from './json';
import { JsonPathNotFoundError, JsonPathSyntaxError, evaluateJsonPath, parseJsonPath } from './jsonpath';
import type { EvaluationScope } from './scope';

const VARIABLE_PATH = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s;

/**
 * Reads a path for InputPath, OutputPath, ItemsPath and other path fields. A missing definite path is
 * `States.Runtime` with Jayway's words, as AWS reports it:
 * `Invalid path '$.a.b' : Missing property in path $['a']` / `Invalid path '$.x' : No results for path: $['x']`.
 */
export function readPath(path: string, data: JsonValue): JsonValue {
  try {
    return evaluateJsonPath(path, data);
  } catch (e) {
    if (e instanceof JsonPathNotFoundError)
      throw new StatesError(StatesErrorName.Runtime, `Invalid path '${path}' : ${e.message}`);
    if (e instanceof JsonPathSyntaxError) throw new StatesError(StatesErrorName.Runtime, e.message);
    throw e;
  }
}

/**
 * Reads a path named by a field (a `.$` key of a payload template, ErrorPath, CausePath, ...). A missing path is
 * `States.Runtime`: `The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '{...}'`.
 */
export function readPathForField(path: string, data: JsonValue, fieldName: string): JsonValue {
  try {
    return evaluateJsonPath(path, data);
  } catch (e) {
    if (e instanceof JsonPathNotFoundError) {
      throw new StatesError(
        StatesErrorName.Runtime,
        `The JSONPath '${path}' specified for the field '${fieldName}' could not be found in the input '${toJsonText(data)}'`,
      );
    }
    if (e instanceof JsonPathSyntaxError) throw new StatesError(StatesErrorName.Runtime, e.message);
    throw e;
  }
}

/** The three kinds of path a JSONPath-mode value can hold. */
export type PathKind = 'input' | 'context' | 'variable';

/** Classifies `$...` (input), `$$...` (context object) and `$name...` (variable). Undefined if not a path. */
export function pathKind(expr: string): PathKind | undefined {
  if (expr.startsWith('$$')) return 'context';
  if (expr === '$' || expr.startsWith('$.') || expr.startsWith('$[')) return 'input';
  if (VARIABLE_PATH.test(expr)) return 'variable';
  return undefined;
}

/**
 * Evaluates a path on the scope: `$...` on the input, `$$...` on the context object, `$name...` on the variable
 * `name`. With `fieldName`, misses are worded as for a field (see {@link readPathForField}), else as for a path
 * field (see {@link readPath}).
 */
export function evaluatePathOrVariable(expr: string, scope: EvaluationScope, fieldName?: string): JsonValue {
  // AWS quotes the state input in a field's miss, even for a context ($$) or variable path.
  const read = (path: string, data: JsonValue, shown: string): JsonValue => {
    try {
      return evaluateJsonPath(path, data);
    } catch (e) {
      if (e instanceof JsonPathNotFoundError) {
        throw new StatesError(
          StatesErrorName.Runtime,
          fieldName === undefined
            ? `Invalid path '${shown}' : ${e.message}`
            : `The JSONPath '${shown}' specified for the field '${fieldName}' could not be found in the input '${toJsonText(scope.input)}'`,
        );
      }
      if (e instanceof JsonPathSyntaxError)
        throw new StatesError(StatesErrorName.Runtime, `Invalid path '${shown}'`);
      throw e;
    }
  };
  const kind = pathKind(expr);
  if (kind === 'context') return read(expr.slice(1), scope.context, expr);
  if (kind === 'input') return read(expr, scope.input, expr);
  if (kind === 'variable') {
    const m = VARIABLE_PATH.exec(expr) as RegExpExecArray;
    const name = m[1] as string;
    const rest = m[2] as string;
    if (!Object.prototype.hasOwnProperty.call(scope.variables, name)) {
      throw new StatesError(
        StatesErrorName.Runtime,
        fieldName === undefined
          ? `Invalid path '${expr}' : The variable '$${name}' is not defined`
          : `The JSONPath '${expr}' specified for the field '${fieldName}' could not be found in the input '${toJsonText(scope.input)}'`,
      );
    }
    const value = scope.variables[name] as JsonValue;
    return rest === '' ? value : read(`$${rest}`, value, expr);
  }
  throw new StatesError(StatesErrorName.Runtime, `Invalid path '${expr}'`);
}

/** True if the string parses as a JSONPath (used by loaders to validate path fields). */
export function isValidJsonPath(path: string): boolean {
  try {
    parseJsonPath(path);
    return true;
  } catch {
    return false;
  }
}

/** True if the path is a Reference Path: definite (single names and indexes only), as ResultPath and Variable require. */
export function isReferencePath(path: string): boolean {
  try {
    return parseJsonPath(path).definite;
  } catch {
    return false;
  }
}
