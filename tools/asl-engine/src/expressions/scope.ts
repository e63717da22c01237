import type { JsonValue } from './json';

/** What a JSONPath-mode expression can read: the state's input (`$`), the context object (`$$`) and variables (`$name`). */
export interface EvaluationScope {
  readonly input: JsonValue;
  readonly context: JsonValue;
  readonly variables: Readonly<Record<string, JsonValue>>;
}
