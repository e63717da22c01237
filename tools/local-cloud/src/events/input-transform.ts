import { validation } from './errors';
import { evaluateJsonPath, parseJsonPath } from './json-path';
import { type EventEnvelope, type InputTransformer } from './types';

/** What a rule target receives, computed from the matched event by Input / InputPath / InputTransformer. */
export interface TargetInputSpec {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

/** Context for the predefined InputTransformer variables. */
export interface TransformContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly ingestionTime: string;
}

const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/g;
const RESERVED_PREFIX = /^aws\.events\./i;

/** Checks a target's input settings when it is put (so delivery cannot fail on them later). */
export function validateTargetInput(target: TargetInputSpec): void {
  const given = [target.Input, target.InputPath, target.InputTransformer].filter(
    (x) => x !== undefined,
  ).length;
  if (given > 1) throw validation('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (target.Input !== undefined) {
    try {
      JSON.parse(target.Input);
    } catch {
      throw validation('Input is not valid JSON text.');
    }
  }
  if (target.InputPath !== undefined) {
    try {
      parseJsonPath(target.InputPath);
    } catch (error) {
      throw validation(`InputPath is not a valid JSON path: ${(error as Error).message}`);
    }
  }
  const transformer = target.InputTransformer;
  if (transformer !== undefined) {
    if (typeof transformer.InputTemplate !== 'string') {
      throw validation(
        "1 validation error detected: Value null at 'inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null",
      );
    }
    const map = transformer.InputPathsMap ?? {};
    if (Object.keys(map).length > 100) throw validation('InputPathsMap can have at most 100 entries.');
    for (const [key, path] of Object.entries(map)) {
      if (RESERVED_PREFIX.test(key)) throw validation(`InputPathsMap key ${key} is reserved (aws.events.*).`);
      try {
        parseJsonPath(path);
      } catch (error) {
        throw validation(
          `InputPathsMap value for ${key} is not a valid JSON path: ${(error as Error).message}`,
        );
      }
    }
  }
}

/** The JSON text of a value for a JSON context (undefined renders as null). */
const jsonText = (value: unknown): string => (value === undefined ? 'null' : JSON.stringify(value));

/** Escapes text for the inside of a JSON string literal. */
const insideString = (text: string): string => JSON.stringify(text).slice(1, -1);

/**
 * Renders an InputTemplate as EventBridge does: a placeholder inside a JSON string literal is replaced by the value's
 * text (strings as they are, escaped; other values as their JSON, escaped); outside a string literal by the value's
 * JSON. `<aws.events.event>` is the event without `detail`, `<aws.events.event.json>` the whole event; a placeholder
 * with no value renders as `null` (or nothing inside a string).
 */
export function renderInputTemplate(template: string, variables: ReadonlyMap<string, unknown>): string {
  let out = '';
  let inString = false;
  let last = 0;
  // Walk the template once, tracking whether we are inside a JSON string literal.
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '\\' && inString) {
      i++;
      continue;
    }
    if (char === '"') {
      inString = !inString;
      continue;
    }
    if (char !== '<') continue;
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(template);
    if (match === null || match.index !== i) continue;
    const name = match[1] ?? '';
    if (!variables.has(name)) continue;
    const value = variables.get(name);
    out += template.slice(last, i);
    if (inString)
      out +=
        value === undefined ? '' : insideString(typeof value === 'string' ? value : JSON.stringify(value));
    else out += jsonText(value);
    i += match[0].length - 1;
    last = i + 1;
  }
  return out + template.slice(last);
}

/** The text a target receives for an event. */
export function targetInput(
  target: TargetInputSpec,
  event: EventEnvelope,
  context: TransformContext,
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined)
    return jsonText(evaluateJsonPath(event, parseJsonPath(target.InputPath)));
  const transformer = target.InputTransformer;
  if (transformer === undefined) return JSON.stringify(event);
  const variables = new Map<string, unknown>();
  for (const [key, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    variables.set(key, evaluateJsonPath(event, parseJsonPath(path)));
  }
  const { detail: _detail, ...withoutDetail } = event;
  variables.set('aws.events.rule-arn', context.ruleArn);
  variables.set('aws.events.rule-name', context.ruleName);
  variables.set('aws.events.event.ingestion-time', context.ingestionTime);
  variables.set('aws.events.event', withoutDetail);
  variables.set('aws.events.event.json', event);
  return renderInputTemplate(transformer.InputTemplate, variables);
}
