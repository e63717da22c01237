/**
 * The JSONPath subset EventBridge accepts in InputPath and InputPathsMap: `$`, then `.name`, `['name']` / `["name"]`
 * and `[index]` steps. Returns undefined for a path that finds nothing.
 */

const STEP = /^(?:\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/** Parses a path into its steps; throws an Error naming the path when it is not in the supported subset. */
export function parseJsonPath(path: string): (string | number)[] {
  if (!path.startsWith('$')) throw new Error(`Invalid JSONPath ${path}: must start with $`);
  const steps: (string | number)[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (match === null) throw new Error(`Invalid JSONPath ${path}: unsupported syntax at "${rest}"`);
    if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push(match[1] ?? match[3] ?? match[4] ?? '');
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/** Evaluates a parsed path against a JSON value. */
export function evaluateJsonPath(value: unknown, steps: readonly (string | number)[]): unknown {
  let current: unknown = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}
