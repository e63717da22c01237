/** A history event as the console API returns it (JSON: timestamps are ISO strings). */
export interface HistoryEventJson {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: string;
  [details: string]: unknown;
}

/** What happened to a state on the execution's path. */
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'caught' | 'aborted';

/** One entry into a state (a state inside a Map runs once per item: one step each). */
export interface Step {
  name: string;
  /** Id of the StateEntered event. */
  enteredEventId: number;
  enteredAt: string;
  exitedAt?: string;
  input?: string;
  output?: string;
  status: StepStatus;
  /** Attempts beyond the first (Retry). */
  retries: number;
  error?: string;
  cause?: string;
}

/** The execution's path: its steps, each state's latest outcome, and what it is billed for. */
export interface ExecutionPath {
  steps: Step[];
  /** State name → status of its latest step (what the graph colors). */
  outcomes: Record<string, StepStatus>;
  /** Billed state transitions (Standard workflows: each state entered, plus each retry). */
  transitions: number;
  /** Estimated Standard-workflow cost in USD. */
  costUsd: number;
  error?: string;
  cause?: string;
}

/** Standard-workflow price per state transition, in USD ($0.025 per 1,000). */
export const PRICE_PER_TRANSITION_USD = 0.000025;

/** Estimated Standard-workflow cost of `transitions` state transitions, in USD. */
export const standardCost = (transitions: number): number => (transitions * 25) / 1_000_000;

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
const FAILED = new Set([
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'ActivityFailed',
  'ActivityTimedOut',
]);

const detailsOf = (event: HistoryEventJson): Record<string, unknown> | undefined => {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) {
      return value as Record<string, unknown>;
    }
  }
  return undefined;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Derives an execution's path from its AWS-shaped history: one {@link Step} per StateEntered (events of Parallel
 * branches interleave, so a task event is attributed to its state through the `previousEventId` chain), retries,
 * errors, the latest outcome per state, billed transitions and the Standard cost.
 */
export const executionPath = (
  events: readonly HistoryEventJson[],
  executionStatus: string,
): ExecutionPath => {
  const byId = new Map<number, HistoryEventJson>();
  const stepByEnteredId = new Map<number, Step>();
  const steps: Step[] = [];
  const open = new Map<string, Step>();
  /** Steps whose task was scheduled at least once (the next schedule is a retry). */
  const scheduled = new Set<Step>();
  let error: string | undefined;
  let cause: string | undefined;

  const owner = (event: HistoryEventJson): Step | undefined => {
    let current: HistoryEventJson | undefined = event;
    for (let hops = 0; current !== undefined && hops < 10_000; hops += 1) {
      const step = stepByEnteredId.get(current.id);
      if (step !== undefined) return step;
      current = byId.get(current.previousEventId);
    }
    return undefined;
  };

  for (const event of events) {
    byId.set(event.id, event);
    const details = detailsOf(event) ?? {};
    if (event.type.endsWith('StateEntered')) {
      const name = text(details['name']) ?? '?';
      const input = text(details['input']);
      const step: Step = {
        name,
        enteredEventId: event.id,
        enteredAt: event.timestamp,
        status: event.type === 'FailStateEntered' ? 'failed' : 'running',
        retries: 0,
        ...(input === undefined ? {} : { input }),
      };
      steps.push(step);
      stepByEnteredId.set(event.id, step);
      open.set(name, step);
      continue;
    }
    if (event.type.endsWith('StateExited')) {
      const name = text(details['name']) ?? '?';
      const step = open.get(name);
      if (step === undefined) continue;
      open.delete(name);
      step.exitedAt = event.timestamp;
      const output = text(details['output']);
      if (output !== undefined) step.output = output;
      if (step.status === 'running') step.status = step.error === undefined ? 'succeeded' : 'caught';
      continue;
    }
    const step = owner(event);
    if (SCHEDULED.has(event.type) && step !== undefined) {
      if (scheduled.has(step)) step.retries += 1;
      else scheduled.add(step);
    } else if (FAILED.has(event.type) && step !== undefined) {
      const e = text(details['error']);
      const c = text(details['cause']);
      if (e !== undefined) step.error = e;
      if (c !== undefined) step.cause = c;
    } else if (
      event.type === 'ExecutionFailed' ||
      event.type === 'ExecutionTimedOut' ||
      event.type === 'ExecutionAborted'
    ) {
      error = text(details['error']) ?? error;
      cause = text(details['cause']) ?? cause;
    } else if (event.type === 'ExecutionRedriven') {
      error = undefined;
      cause = undefined;
    }
  }

  const ended = executionStatus !== 'RUNNING' && executionStatus !== 'PENDING_REDRIVE';
  const last = events[events.length - 1];
  for (const step of open.values()) {
    if (!ended) continue;
    if (step.exitedAt === undefined && last !== undefined) step.exitedAt = last.timestamp;
    if (step.status === 'running') step.status = executionStatus === 'ABORTED' ? 'aborted' : 'failed';
    if (step.error === undefined && error !== undefined) step.error = error;
    if (step.cause === undefined && cause !== undefined) step.cause = cause;
  }

  const outcomes: Record<string, StepStatus> = {};
  let retries = 0;
  for (const step of steps) {
    outcomes[step.name] = step.status;
    retries += step.retries;
  }
  const transitions = steps.length + retries;
  return {
    steps,
    outcomes,
    transitions,
    costUsd: standardCost(transitions),
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
  };
};
