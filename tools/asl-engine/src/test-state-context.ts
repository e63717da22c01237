/**
 * The Context object of a TestState run when the request gives none: AWS runs the state as an express execution of
 * a generated state machine, the state named `StateName`.
 */
import { randomUUID } from 'node:crypto';

import { parseResource } from './integrations';
import { WRAPPED_STATE_NAME } from './test-state-request';
import type { JsonObject, JsonValue } from './types';

/** What the generated Context object is made of. */
export interface ContextSource {
  readonly accountId: string;
  readonly region: string;
  /** Epoch ms: the execution's start and the state's entry. */
  readonly now: number;
  /** The tested state's definition. */
  readonly state: JsonObject;
  /** The state's input (the execution input). */
  readonly input: JsonValue;
  readonly retryCount: number;
  readonly roleArn?: string;
}

/**
 * `$$` / `$states.context` of a test: Execution (an express execution ARN, the input, the role or null), StateMachine,
 * State (named `StateName` even for a state of a whole machine, with RetryCount for Task, Map and Parallel) and, for
 * a `.waitForTaskToken` task, a Task token.
 */
export function generatedContext(c: ContextSource): JsonObject {
  const machine = `TestStateMachine-${randomUUID()}`;
  const execution = randomUUID();
  const at = new Date(c.now).toISOString();
  const type = c.state['Type'];
  const state: JsonObject = { Name: WRAPPED_STATE_NAME, EnteredTime: at };
  if (type === 'Task' || type === 'Map' || type === 'Parallel') state['RetryCount'] = c.retryCount;
  const ctx: JsonObject = {
    Execution: {
      Id: `arn:aws:states:${c.region}:${c.accountId}:express:${machine}:${execution}`,
      Input: c.input,
      Name: execution,
      RoleArn: c.roleArn ?? null,
      StartTime: at,
    },
    StateMachine: { Id: `arn:aws:states:${c.region}:${c.accountId}:stateMachine:${machine}`, Name: machine },
    State: state,
  };
  const resource = c.state['Resource'];
  if (typeof resource === 'string' && parseResource(resource)?.pattern === 'WAIT_FOR_TASK_TOKEN')
    ctx['Task'] = { Token: randomUUID() };
  return ctx;
}
