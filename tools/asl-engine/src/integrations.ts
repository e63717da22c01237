import type { JsonValue } from './types';

/** The integration pattern of a Task, from its Resource's suffix. */
export type IntegrationPattern = 'REQUEST_RESPONSE' | 'RUN_JOB' | 'WAIT_FOR_TASK_TOKEN';

/** What the engine hands an integration when a Task runs. */
export interface TaskInvocation {
  /** The Task's Resource ARN as written. */
  resource: string;
  /** 'lambda' | 'sqs' | 'events' | 'dynamodb' | 'states' | 'aws-sdk:<svc>' | 'lambda-function' (legacy Lambda ARN) ... */
  service: string;
  /** 'invoke' | 'sendMessage' | 'putEvents' | 'putItem' | 'startExecution' | ... */
  action: string;
  pattern: IntegrationPattern;
  /** Effective Parameters/Arguments (JSONPath or JSONata evaluated). */
  parameters: JsonValue;
  /**
   * The same parameters as JSON text, numbers written as AWS (Jackson) writes them (`0.0`, not `0`): what the
   * service receives. Read it with `parseJsonText` to keep such numbers through a service that echoes them.
   */
  parametersText?: string;
  /** Present for WAIT_FOR_TASK_TOKEN: the token the engine minted (a secret: never log it). */
  taskToken?: string;
  execution: { executionArn: string; name: string; stateMachineArn: string; traceHeader?: string };
  stateName: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** Aborted when the task times out or the execution stops. */
  signal: AbortSignal;
}

/**
 * Performs a Task. Resolves with the service's result JSON (for WAIT_FOR_TASK_TOKEN: the submit response; the task then
 * waits for SendTaskSuccess/Failure). Rejects with {@link TaskFailure} for a service error.
 */
export type Integration = (inv: TaskInvocation) => Promise<JsonValue>;

/** Finds the integration for a Task's resource. */
export interface IntegrationRegistry {
  resolve(inv: TaskInvocation): Integration | undefined;
}

/** The parsed parts of a Task Resource ARN. */
export interface ParsedResource {
  service: string;
  action: string;
  pattern: IntegrationPattern;
  /** `resourceType` of Task* history events (e.g. `lambda`, `sqs`, `aws-sdk:dynamodb`). */
  resourceType: string;
  /** `resource` of Task* history events (e.g. `invoke`, `sendMessage.waitForTaskToken`). */
  resourceName: string;
  /** True for a bare Lambda function ARN (history uses LambdaFunction* events). */
  legacyLambda: boolean;
}

/** Parses a Task Resource into service, action and integration pattern; undefined when it is not a known form. */
const parsedResources = new Map<string, ParsedResource | undefined>();

export function parseResource(resource: string): ParsedResource | undefined {
  if (parsedResources.has(resource)) return parsedResources.get(resource);
  const parsed = parseResourceUncached(resource);
  if (parsedResources.size < 10_000) parsedResources.set(resource, parsed);
  return parsed;
}

function parseResourceUncached(resource: string): ParsedResource | undefined {
  const lambda = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.exec(resource);
  if (lambda) {
    return {
      service: 'lambda-function',
      action: 'invoke',
      pattern: 'REQUEST_RESPONSE',
      resourceType: 'lambda',
      resourceName: resource,
      legacyLambda: true,
    };
  }
  const m = /^arn:[^:]+:states:[^:]*:[^:]*:(aws-sdk:[^:]+|[^:]+):(.+)$/.exec(resource);
  if (!m) return undefined;
  const service = m[1] ?? '';
  const rest = m[2] ?? '';
  let pattern: IntegrationPattern = 'REQUEST_RESPONSE';
  let action = rest;
  if (rest.endsWith('.waitForTaskToken')) {
    pattern = 'WAIT_FOR_TASK_TOKEN';
    action = rest.slice(0, -'.waitForTaskToken'.length);
  } else {
    const sync = /^(.*)\.sync(:\d+)?$/.exec(rest);
    if (sync) {
      pattern = 'RUN_JOB';
      action = sync[1] ?? rest;
    }
  }
  return { service, action, pattern, resourceType: service, resourceName: rest, legacyLambda: false };
}
