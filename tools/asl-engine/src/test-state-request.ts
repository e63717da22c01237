/**
 * TestState request checks: the definition (a single state, or a whole state machine with `stateName`), the mock,
 * the Context object, variables and input, rejected with the error codes and messages AWS Step Functions answers.
 */
import { loadDefinition } from './definition';
import { EngineError } from './errors';
import { parseResource } from './integrations';
import { parseJsonText } from './json-text';
import type { TestStateConfiguration, TestStateInput } from './test-state-types';
import type { JsonObject, JsonValue } from './types';

/** The name AWS gives the tested state inside the state machine it wraps a single state in. */
export const WRAPPED_STATE_NAME = 'StateName';

const STATE_TYPES = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];
const MOCKABLE = new Set(['Task', 'Map', 'Parallel']);
const LEVELS = new Set(['INFO', 'DEBUG', 'TRACE']);
const VALIDATION_MODES = new Set(['STRICT', 'PRESENT', 'NONE']);

/** A checked request, ready to run. */
export interface PreparedTest {
  /** The tested state's definition. */
  readonly state: JsonObject;
  /** Its name in the definition (`StateName` for a single state). */
  readonly name: string;
  readonly ql: 'JSONPath' | 'JSONata';
  readonly input: JsonValue;
  /** The input text as given (AWS reports it unchanged). */
  readonly inputText: string;
  readonly level: 'INFO' | 'DEBUG' | 'TRACE';
  readonly variables: Record<string, JsonValue>;
  readonly mockResult?: JsonValue;
  readonly mockError?: { error?: string; cause?: string };
  /** The Context object given in the request (replaces the generated one). */
  readonly context?: JsonObject;
  readonly retrierRetryCount: number;
  readonly mapIterationFailureCount?: number;
  readonly mapItemReaderData?: JsonValue;
  readonly roleArn?: string;
}

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validation(message: string): EngineError {
  return new EngineError('ValidationException', message);
}

function invalidDefinition(message: string): EngineError {
  return new EngineError('InvalidDefinition', `Invalid State Machine Definition: '${message}'`);
}

/** Parses JSON text, or throws `error(reason)`. */
function parseJson(text: string, error: (reason: string) => EngineError): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw error(e instanceof Error ? e.message : String(e));
  }
}

/** Parses data (the input, a mocked result, the ItemReader's data) with numbers as AWS's Jackson reads them. */
function parseData(text: string, error: (reason: string) => EngineError): JsonValue {
  try {
    return parseJsonText(text);
  } catch (e) {
    throw error(e instanceof Error ? e.message : String(e));
  }
}

const ACTIVITY = /^arn:[^:]+:states:[^:]*:[^:]*:activity:/;

/**
 * The copy of a definition the engine's loader validates: without what TestState never runs itself for a mocked
 * state (a Map's ItemReader / ResultWriter in S3, an activity worker, a Task's cross-account Credentials: TestState
 * takes their data from the request's mock and stateConfiguration), which the loader rejects for executions. A state
 * tested without a mock that needs one of them is rejected in {@link prepareTest}.
 */
function withoutItemIo(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutItemIo);
  if (!isObj(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'ItemReader' || k === 'ResultWriter' || k === 'Credentials') continue;
    out[k] =
      k === 'Resource' && typeof v === 'string' && ACTIVITY.test(v)
        ? 'arn:aws:states:::lambda:invoke'
        : withoutItemIo(v);
  }
  return out;
}

/** The states a state transitions to (Next, Default, Choices[].Next, Catch[].Next). */
function targets(state: JsonObject): string[] {
  const out: string[] = [];
  if (typeof state['Next'] === 'string') out.push(state['Next']);
  if (typeof state['Default'] === 'string') out.push(state['Default']);
  for (const field of ['Choices', 'Catch']) {
    const rules = state[field];
    if (Array.isArray(rules))
      for (const r of rules) if (isObj(r) && typeof r['Next'] === 'string') out.push(r['Next']);
  }
  return out;
}

function checkType(state: JsonObject, name: string): void {
  const type = state['Type'];
  if (typeof type !== 'string' || !STATE_TYPES.includes(type)) {
    throw invalidDefinition(
      `SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [${STATE_TYPES.join(', ')}] at /States/${name}/Type`,
    );
  }
}

/** Validates a single state by wrapping it in a state machine (its transitions end in stand-in states). */
function loadSingleState(parsed: JsonValue): JsonObject {
  if (!isObj(parsed)) throw invalidDefinition('SCHEMA_VALIDATION_FAILED: the state must be a JSON object');
  checkType(parsed, WRAPPED_STATE_NAME);
  const states: JsonObject = { [WRAPPED_STATE_NAME]: withoutItemIo(parsed) };
  for (const t of targets(parsed)) if (!(t in states)) states[t] = { Type: 'Succeed' };
  loadDefinition(JSON.stringify({ StartAt: WRAPPED_STATE_NAME, States: states }));
  return parsed;
}

/** Finds a state by name in a state machine (top level, Parallel branches, Map processors) with its query language. */
function findState(
  block: JsonObject,
  name: string,
  ql: 'JSONPath' | 'JSONata',
): { state: JsonObject; ql: 'JSONPath' | 'JSONata' } | undefined {
  const states = block['States'];
  if (!isObj(states)) return undefined;
  const own = states[name];
  if (isObj(own)) return { state: own, ql };
  for (const s of Object.values(states)) {
    if (!isObj(s)) continue;
    const inner =
      s['QueryLanguage'] === 'JSONata' || s['QueryLanguage'] === 'JSONPath' ? s['QueryLanguage'] : ql;
    const blocks = [
      ...(Array.isArray(s['Branches']) ? s['Branches'] : []),
      s['ItemProcessor'] ?? null,
      s['Iterator'] ?? null,
    ];
    for (const b of blocks) {
      if (!isObj(b)) continue;
      const found = findState(b, name, inner);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** True if `name` is a state of one of the Map's processor or the Parallel's branches (at any depth). */
export function hasInnerState(state: JsonObject, name: string): boolean {
  const blocks = [
    ...(Array.isArray(state['Branches']) ? state['Branches'] : []),
    state['ItemProcessor'] ?? null,
    state['Iterator'] ?? null,
  ];
  return blocks.some((b) => isObj(b) && findState(b, name, 'JSONPath') !== undefined);
}

const CONTEXT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Execution: ['Id', 'Input', 'Name', 'RoleArn', 'StartTime', 'RedriveCount', 'RedriveTime'],
  State: ['EnteredTime', 'Name', 'RetryCount'],
  StateMachine: ['Id', 'Name'],
  Task: ['Token'],
};
const CONTEXT_STRINGS: Readonly<Record<string, readonly string[]>> = {
  Execution: ['Id', 'Name', 'RoleArn', 'StartTime', 'RedriveTime'],
  State: ['EnteredTime', 'Name'],
  StateMachine: ['Id', 'Name'],
  Task: ['Token'],
};

function checkContext(text: string, state: JsonObject): JsonObject {
  const invalid = (why: string): EngineError => validation(`Invalid Context object provided: ${why}`);
  const ctx = parseJson(text, (reason) => invalid(`the Context object is not valid JSON (${reason})`));
  if (!isObj(ctx)) throw invalid('the Context object must be a JSON object');
  for (const [field, value] of Object.entries(ctx)) {
    if (field === 'Map') throw invalid("'Map' field is not supported when mocking a Context object");
    const allowed = CONTEXT_FIELDS[field];
    if (allowed === undefined) throw invalid(`Field '${field}' is not allowed`);
    if (!isObj(value)) throw invalid(`${field} must be an object`);
    for (const [k, v] of Object.entries(value)) {
      if (!allowed.includes(k)) throw invalid(`Field '${k}' is not allowed`);
      if ((CONTEXT_STRINGS[field] ?? []).includes(k) && typeof v !== 'string')
        throw invalid(`${field}.${k} must be a string`);
      if ((k === 'RetryCount' || k === 'RedriveCount') && (typeof v !== 'number' || !Number.isInteger(v)))
        throw invalid(`${field}.${k} must be an integer`);
    }
  }
  if ('Task' in ctx) {
    const parsed =
      state['Type'] === 'Task' && typeof state['Resource'] === 'string'
        ? parseResource(state['Resource'])
        : undefined;
    if (parsed === undefined || parsed.pattern === 'REQUEST_RESPONSE') {
      throw invalid(
        "Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern",
      );
    }
  }
  return ctx;
}

function checkMock(i: TestStateInput, type: string, state: JsonObject): { result?: JsonValue } {
  const mock = i.mock;
  if (mock === undefined) return {};
  if (mock.fieldValidationMode !== undefined && !VALIDATION_MODES.has(mock.fieldValidationMode)) {
    throw validation(
      `1 validation error detected: Value '${String(mock.fieldValidationMode)}' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]`,
    );
  }
  // The state type first, then RevealSecrets, then the mock's own members.
  if (!MOCKABLE.has(type)) throw validation(`State type '${type}' is not supported when a mock is specified`);
  if (i.revealSecrets === true)
    throw validation('TestState does not support RevealSecrets when a mock is specified.');
  if (mock.result !== undefined && mock.errorOutput !== undefined)
    throw validation('A test mock should have only one of the following fields: [result, errorOutput].');
  if (mock.result === undefined && mock.errorOutput === undefined)
    throw validation('A test mock should have one of the following fields: [result, errorOutput].');
  if (mock.errorOutput !== undefined && typeof mock.errorOutput.error !== 'string')
    throw validation('The error field is required when mock.errorOutput is specified.');
  if (mock.result === undefined) return {};
  const result = parseData(mock.result, () => validation('Mocked result must be valid JSON'));
  if (type === 'Map') {
    if ('ResultWriter' in state) {
      if (!isObj(result)) throw validation('Mocked result must be a JSON object.');
    } else if (!Array.isArray(result)) throw validation('Mocked result must be an array.');
  }
  if (type === 'Parallel') {
    if (!Array.isArray(result)) throw validation('Mocked result must be an array.');
    const branches = Array.isArray(state['Branches']) ? state['Branches'].length : 0;
    if (result.length !== branches)
      throw validation('Mocked result must contain the same number of items as number of Parallel branches.');
  }
  return { result };
}

/**
 * The counts of `stateConfiguration`, checked before the mock (as AWS does): non-negative integers, and the failed
 * Map iterations only with a mock, at most as many as the mocked result has.
 */
function checkConfigurationCounts(cfg: TestStateConfiguration, mock: TestStateInput['mock']): void {
  for (const [field, v] of [
    ['retrierRetryCount', cfg.retrierRetryCount],
    ['mapIterationFailureCount', cfg.mapIterationFailureCount],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      throw validation(`stateConfiguration.${field} must be an integer greater than or equal to 0`);
  }
  const failed = cfg.mapIterationFailureCount;
  if (failed === undefined) return;
  if (mock === undefined)
    throw validation('TestState does not support MapIterationFailureCount when a mock is not specified.');
  if (mock.result === undefined) return;
  let items: unknown;
  try {
    items = JSON.parse(mock.result);
  } catch {
    return; // the mock check names an invalid result
  }
  if (Array.isArray(items) && failed > items.length)
    throw validation(
      'Map iteration failure count must be less than or equal to the number of Map iterations',
    );
}

/** Checks a TestState request as AWS does; throws EngineError (InvalidDefinition, ValidationException, ...). */
export function prepareTest(i: TestStateInput): PreparedTest {
  if (typeof i.definition !== 'string' || i.definition.length === 0)
    throw validation('definition must be a non-empty string');
  const level = i.inspectionLevel ?? 'INFO';
  if (!LEVELS.has(level)) {
    throw validation(
      `1 validation error detected: Value '${String(level)}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]`,
    );
  }
  const parsed = parseJson(i.definition, (reason) =>
    invalidDefinition(`INVALID_JSON_DESCRIPTION: ${reason}`),
  );
  let state: JsonObject;
  let name = WRAPPED_STATE_NAME;
  let ql: 'JSONPath' | 'JSONata';
  if (i.stateName !== undefined) {
    if (i.stateName.length === 0 || i.stateName.length > 80)
      throw validation('stateName must be between 1 and 80 characters long');
    if (!isObj(parsed) || !isObj(parsed['States']))
      throw invalidDefinition('SCHEMA_VALIDATION_FAILED: The field "States" is required at /');
    const machineQl = parsed['QueryLanguage'] === 'JSONata' ? 'JSONata' : 'JSONPath';
    const found = findState(parsed, i.stateName, machineQl);
    if (found === undefined) throw validation('State not found in definition');
    checkType(found.state, i.stateName);
    loadDefinition(JSON.stringify(withoutItemIo(parsed)));
    state = found.state;
    name = i.stateName;
    ql =
      state['QueryLanguage'] === 'JSONata' || state['QueryLanguage'] === 'JSONPath'
        ? state['QueryLanguage']
        : found.ql;
  } else {
    state = loadSingleState(parsed);
    ql = state['QueryLanguage'] === 'JSONata' ? 'JSONata' : 'JSONPath';
  }
  const type = state['Type'] as string;
  const cfg = i.stateConfiguration ?? {};
  checkConfigurationCounts(cfg, i.mock);
  const { result: mockResult } = checkMock(i, type, state);
  if (i.mock === undefined) {
    if (type === 'Map' || type === 'Parallel') {
      throw new EngineError(
        'InvalidDefinition',
        'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
      );
    }
    if (i.context !== undefined)
      throw validation('TestState does not support a Context object when a mock is not specified.');
    if (type === 'Task' && 'Credentials' in state) {
      throw invalidDefinition(
        `UNSUPPORTED_FEATURE: The field "Credentials" of state "${name}": cross-account task credentials are not supported by this engine (test the state with a mock)`,
      );
    }
    if (type === 'Task') {
      if (i.roleArn === undefined || i.roleArn === '')
        throw validation('RoleArn must be specified when testing a Task state');
      const resource = typeof state['Resource'] === 'string' ? state['Resource'] : '';
      if (ACTIVITY.test(resource))
        throw validation('TestState does not support Activity tasks when a mock is not specified.');
      const pr = parseResource(resource);
      if (pr !== undefined && pr.pattern !== 'REQUEST_RESPONSE') {
        throw validation(
          'TestState does not support .sync or .waitForTaskToken service integration patterns when a mock is not specified.',
        );
      }
    }
  }
  if (cfg.errorCausedByState !== undefined) {
    if (type !== 'Map' && type !== 'Parallel')
      throw validation('errorCausedByState can only be specified for a Map or Parallel state.');
    if (i.mock?.errorOutput === undefined)
      throw validation('errorCausedByState can only be specified when mock.errorOutput is specified.');
    if (!hasInnerState(state, cfg.errorCausedByState))
      throw validation(
        `State '${cfg.errorCausedByState}' of errorCausedByState not found in the tested state.`,
      );
  }
  if (cfg.mapIterationFailureCount !== undefined && type !== 'Map')
    throw validation('mapIterationFailureCount can only be specified for a Map state.');
  const inputText = i.input ?? '{}';
  const input = parseData(
    inputText,
    (reason) =>
      new EngineError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${reason}'`),
  );
  let variables: Record<string, JsonValue> = {};
  if (i.variables !== undefined) {
    const v = parseJson(i.variables, (reason) =>
      validation(`variables must be a JSON object literal: ${reason}`),
    );
    if (!isObj(v)) throw validation('variables must be a JSON object literal');
    variables = v;
  }
  const context = i.context === undefined ? undefined : checkContext(i.context, state);
  let mapItemReaderData: JsonValue | undefined;
  if (cfg.mapItemReaderData !== undefined) {
    if (type !== 'Map') throw validation('mapItemReaderData can only be specified for a Map state.');
    mapItemReaderData = parseData(cfg.mapItemReaderData, (reason) =>
      validation(`mapItemReaderData must be valid JSON: ${reason}`),
    );
  }
  return {
    state,
    name,
    ql,
    input,
    inputText,
    level,
    variables,
    retrierRetryCount: cfg.retrierRetryCount ?? 0,
    ...(mockResult !== undefined ? { mockResult } : {}),
    ...(i.mock?.errorOutput !== undefined ? { mockError: i.mock.errorOutput } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(cfg.mapIterationFailureCount !== undefined
      ? { mapIterationFailureCount: cfg.mapIterationFailureCount }
      : {}),
    ...(mapItemReaderData !== undefined ? { mapItemReaderData } : {}),
    ...(i.roleArn !== undefined ? { roleArn: i.roleArn } : {}),
  };
}
