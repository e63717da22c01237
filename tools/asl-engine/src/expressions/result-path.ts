/**
 * ResultPath: where a state's result goes in its input. `$` (or absent) replaces the input, `null` discards the
 * result, a Reference Path inserts it, creating missing intermediate objects. A step through a value that is not
 * an object (or an index past an array's end) is `States.ResultPathMatchFailure`.
 */
import { StatesError, StatesErrorName } from './errors';
import { type JsonObject, type JsonValue, isJsonObject, toJsonText } from './json';
import { JsonPathSyntaxError, parseJsonPath } from './jsonpath';

/** Writes `result` into `input` at `resultPath` (`undefined` means the default `$`). Never mutates `input`. */
export function writeResultPath(
  input: JsonValue,
  resultPath: string | null | undefined,
  result: JsonValue,
): JsonValue {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const failMatch = (): never => {
    throw new StatesError(
      StatesErrorName.ResultPathMatchFailure,
      `Unable to apply ReferencePath ${resultPath} to input ${toJsonText(input)}`,
    );
  };
  let parsed;
  try {
    parsed = parseJsonPath(resultPath);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) throw new StatesError(StatesErrorName.Runtime, e.message);
    throw e;
  }
  if (!parsed.definite || parsed.root !== '$') {
    throw new StatesError(
      StatesErrorName.Runtime,
      `The ResultPath '${resultPath}' is not a valid Reference Path.`,
    );
  }
  const write = (node: JsonValue | undefined, depth: number): JsonValue => {
    if (depth === parsed.segments.length) return result;
    const seg = parsed.segments[depth];
    if (seg?.kind === 'property') {
      const name = seg.names[0] as string;
      if (node === undefined) return { [name]: write(undefined, depth + 1) };
      if (!isJsonObject(node)) return failMatch();
      const copy: JsonObject = { ...node };
      copy[name] = write(
        Object.prototype.hasOwnProperty.call(node, name) ? node[name] : undefined,
        depth + 1,
      );
      return copy;
    }
    if (seg?.kind === 'index') {
      if (!Array.isArray(node)) return failMatch();
      const raw = seg.indexes[0] as number;
      const idx = raw < 0 ? node.length + raw : raw;
      if (idx < 0 || idx >= node.length) return failMatch();
      const copy = [...node];
      copy[idx] = write(node[idx], depth + 1);
      return copy;
    }
    return failMatch();
  };
  return write(input, 0);
}
