/* Test support shared by the engine's specs (not exported from the package). */
import { VirtualClock } from './clock';
import { Engine } from './engine';
import { TaskFailure } from './errors';
import type { Integration, IntegrationRegistry, TaskInvocation } from './integrations';
import { MemoryStore, type ExecutionStore } from './store';
import type { HistoryEvent, JsonValue } from './types';

/** An integration registry keyed by `service:action`, recording every invocation. */
export class FakeIntegrations implements IntegrationRegistry {
  readonly calls: TaskInvocation[] = [];
  private readonly handlers = new Map<string, Integration>();

  on(serviceAction: string, handler: Integration): this {
    this.handlers.set(serviceAction, handler);
    return this;
  }

  resolve(inv: TaskInvocation): Integration | undefined {
    const h = this.handlers.get(`${inv.service}:${inv.action}`);
    if (h === undefined) return undefined;
    return async (i) => {
      this.calls.push(i);
      return h(i);
    };
  }
}

/** A Lambda-like `lambda:invoke` handler: wraps the function's result as the service integration does. */
export function lambdaInvoke(fn: (payload: JsonValue) => JsonValue | Promise<JsonValue>): Integration {
  return async (inv) => {
    const params = inv.parameters as { Payload?: JsonValue };
    try {
      const payload = await fn(params.Payload ?? null);
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    } catch (e) {
      const err = e as Error;
      throw new TaskFailure(
        err.name,
        JSON.stringify({ errorMessage: err.message, errorType: err.name, trace: [] }),
      );
    }
  };
}

export interface Harness {
  engine: Engine;
  clock: VirtualClock;
  store: ExecutionStore;
  integrations: FakeIntegrations;
  /** Creates a machine from a definition object and starts an execution; returns its ARN. */
  start(definition: object, input?: JsonValue, name?: string): Promise<string>;
  /** Runs the execution to its end (advancing virtual time as needed) and describes it. */
  run(
    definition: object,
    input?: JsonValue,
  ): Promise<{ status: string; output?: JsonValue; error?: string; cause?: string; events: HistoryEvent[] }>;
  history(arn: string): Promise<HistoryEvent[]>;
}

let machineCounter = 0;

export async function harness(
  opts: { store?: ExecutionStore; integrations?: FakeIntegrations; clock?: VirtualClock } = {},
): Promise<Harness> {
  const clock = opts.clock ?? new VirtualClock(Date.UTC(2026, 0, 1));
  const store = opts.store ?? new MemoryStore();
  const integrations = opts.integrations ?? new FakeIntegrations();
  const engine = new Engine({ store, clock, integrations });
  await engine.start();
  const history = async (arn: string): Promise<HistoryEvent[]> => {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await engine.getExecutionHistory({
        executionArn: arn,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return events;
  };

  const start = async (definition: object, input: JsonValue = {}, name?: string): Promise<string> => {
    const { stateMachineArn } = await engine.createStateMachine({
      name: `sm-${++machineCounter}`,
      definition: JSON.stringify(definition),
    });
    const { executionArn } = await engine.startExecution({
      stateMachineArn,
      input: JSON.stringify(input),
      ...(name ? { name } : {}),
    });
    return executionArn;
  };
  const run: Harness['run'] = async (definition, input = {}) => {
    const arn = await start(definition, input);
    const done = engine.waitForExecution(arn);
    await clock.runUntilIdle();
    const d = await done;
    return {
      status: d.status,
      ...(d.output !== undefined ? { output: JSON.parse(d.output) as JsonValue } : {}),
      ...(d.error !== undefined ? { error: d.error } : {}),
      ...(d.cause !== undefined ? { cause: d.cause } : {}),
      events: await history(arn),
    };
  };
  return { engine, clock, store, integrations, start, run, history };
}

/** The event types of a history, in order. */
export function types(events: readonly HistoryEvent[]): string[] {
  return events.map((e) => e.type);
}
