/**
 * A Task tested without a mock: its integration is called as an execution calls it (request-response: TestState
 * waits for no job and no callback), bounded by the Task's timeout.
 */
import type { Clock } from './clock';
import { AslError, TaskFailure } from './errors';
import { parseResource, type IntegrationRegistry, type TaskInvocation } from './integrations';
import { plainJson, stringifyJson } from './json-text';
import type { JsonValue } from './types';

/** The call to make. */
export interface TestCall {
  readonly resource: string;
  /** The effective Parameters / Arguments. */
  readonly params: JsonValue;
  readonly stateName: string;
  readonly execution: TaskInvocation['execution'];
  /** States.Timeout after this many seconds (the call's signal is then aborted). */
  readonly timeoutSeconds: number;
}

/**
 * Calls the integration registered for the resource. Rejects with an AslError: the service's error (a
 * {@link TaskFailure}'s name and cause), `States.Timeout`, `States.TaskFailed` for anything else thrown, or
 * `States.Runtime` when no integration serves the resource.
 */
export async function invokeIntegration(
  host: { readonly integrations: IntegrationRegistry; readonly clock: Clock },
  call: TestCall,
): Promise<JsonValue> {
  const parsed = parseResource(call.resource);
  if (parsed === undefined)
    throw new AslError('States.Runtime', `The resource '${call.resource}' is not a supported Task resource.`);
  const abort = new AbortController();
  const inv: TaskInvocation = {
    resource: call.resource,
    service: parsed.service,
    action: parsed.action,
    pattern: parsed.pattern,
    parameters: plainJson(call.params),
    parametersText: stringifyJson(call.params),
    execution: call.execution,
    stateName: call.stateName,
    signal: abort.signal,
    timeoutSeconds: call.timeoutSeconds,
  };
  const integration = host.integrations.resolve(inv);
  if (integration === undefined) {
    throw new AslError(
      'States.Runtime',
      `No integration is registered for the resource '${call.resource}' (service '${parsed.service}', action '${parsed.action}').`,
    );
  }
  const { clock } = host;
  let timer: ReturnType<Clock['setTimer']> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = clock.setTimer(clock.now() + call.timeoutSeconds * 1000, () => {
      abort.abort();
      reject(new AslError('States.Timeout', undefined));
    });
  });
  try {
    return (await Promise.race([integration(inv), timedOut])) ?? null;
  } catch (e) {
    if (e instanceof TaskFailure) throw new AslError(e.error, e.cause);
    if (e instanceof AslError) throw e;
    throw new AslError('States.TaskFailed', e instanceof Error ? e.message : String(e));
  } finally {
    if (timer !== undefined) clock.clearTimer(timer);
  }
}
