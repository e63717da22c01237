/**
 * @flow/asl-engine: an Amazon States Language interpreter with the Step Functions API (state machines, executions,
 * task tokens, history) as a library. Integrations, clock and store are injected; see engine-api.md.
 */
export { Engine, type EngineOptions } from './engine';
export { EngineError, TaskFailure, AslError } from './errors';
export { RealClock, VirtualClock, type Clock, type TimerHandle } from './clock';
export {
  MemoryStore,
  type ExecutionStore,
  type StoreRecord,
  type StoredEvent,
  type StoredExecution,
  type StoredStateMachine,
} from './store';
export { FileStore } from './file-store';
export {
  loadDefinition,
  setDefinitionValidationCache,
  type Definition,
  type DefinitionValidationCache,
} from './definition';
export {
  parseResource,
  type Integration,
  type IntegrationPattern,
  type IntegrationRegistry,
  type ParsedResource,
  type TaskInvocation,
} from './integrations';
export { errorMatches, MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES } from './execution';
export type * from './types';
export { testState, type TestStateHost } from './test-state';
export type * from './test-state-types';
export { JacksonNumber, javaDoubleToString, parseJsonText, plainJson, stringifyJson } from './json-text';
