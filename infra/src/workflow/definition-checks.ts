import aslValidator from 'asl-validator';
import type { AslDefinition, AslState, SynthesizedStateMachine } from './asl';

/**
 * Checks that turn the workflow's "best practices" and "common mistakes" into tests. Each takes a synthesized
 * definition (see `synthesizedStateMachines`) and returns findings; an empty list means the check passed.
 */

/** One violated rule, naming the state and what is wrong. */
export interface Finding {
  readonly check: string;
  readonly state: string;
  readonly message: string;
}

/**
 * The longest `TimeoutSeconds` each kind of Task may have, and why. A timeout longer than its purpose needs
 * only delays the failure (and a callback without one waits for a year).
 */
export const TASK_TIMEOUT_BOUNDS: readonly {
  readonly kind: string;
  readonly matches: (resource: string) => boolean;
  readonly maxTimeoutSeconds: number;
  readonly why: string;
}[] = [
  {
    kind: 'callback (.waitForTaskToken)',
    matches: (resource) => resource.endsWith('.waitForTaskToken'),
    maxTimeoutSeconds: 30 * 24 * 60 * 60,
    why: 'a human or external approval: days, never more than 30 (then it expires and releases the stock)',
  },
  {
    kind: 'lambda:invoke',
    matches: (resource) => resource.endsWith(':states:::lambda:invoke'),
    maxTimeoutSeconds: 120,
    why: 'a task function runs for seconds (its own timeout is at most 30 s here) plus the invoke around it',
  },
  {
    kind: 'events:putEvents',
    matches: (resource) => resource.endsWith(':states:::events:putEvents'),
    maxTimeoutSeconds: 30,
    why: 'one PutEvents API call',
  },
  {
    kind: 'sqs:sendMessage',
    matches: (resource) => resource.endsWith(':states:::sqs:sendMessage'),
    maxTimeoutSeconds: 30,
    why: 'one SendMessage API call',
  },
];

/** The hard limit of events in a Standard execution's history (the execution fails beyond it). */
export const HISTORY_EVENT_LIMIT = 25_000;

const ALL = 'States.ALL';
const isCallback = (state: AslState): boolean => (state.Resource ?? '').endsWith('.waitForTaskToken');
const isSync = (state: AslState): boolean => /\.sync(:\d+)?$/.test(state.Resource ?? '');

/** Every state of a definition, nested Parallel branches and Map processors included, with its enclosing states. */
export const walkStates = (
  definition: AslDefinition,
  enclosing: readonly AslState[] = [],
): { readonly name: string; readonly state: AslState; readonly enclosing: readonly AslState[] }[] =>
  Object.entries(definition.States).flatMap(([name, state]) => [
    { name, state, enclosing },
    ...[
      ...(state.Branches ?? []),
      ...(state.ItemProcessor ? [state.ItemProcessor] : []),
      ...(state.Iterator ? [state.Iterator] : []),
    ].flatMap((inner) => walkStates(inner, [...enclosing, state])),
  ]);

const catchesAll = (state: AslState): boolean =>
  (state.Catch ?? []).some((catcher) => catcher.ErrorEquals.includes(ALL));

/** Every Task has a static TimeoutSeconds, and a HeartbeatSeconds below it when it waits for a task token. */
export const checkTaskTimeouts = (definition: AslDefinition): Finding[] =>
  walkStates(definition)
    .filter(({ state }) => state.Type === 'Task')
    .flatMap(({ name, state }): Finding[] => {
      const findings: Finding[] = [];
      if (typeof state.TimeoutSeconds !== 'number') {
        findings.push({
          check: 'task-timeout',
          state: name,
          message: `Task ${name} has no TimeoutSeconds (the default is 99999999 s)${state.TimeoutSecondsPath === undefined ? '' : '; TimeoutSecondsPath cannot be bounded statically'}.`,
        });
      }
      if (isCallback(state)) {
        if (typeof state.HeartbeatSeconds !== 'number') {
          findings.push({
            check: 'task-heartbeat',
            state: name,
            message: `Task ${name} waits for a task token but has no HeartbeatSeconds.`,
          });
        } else if (
          typeof state.TimeoutSeconds === 'number' &&
          state.HeartbeatSeconds >= state.TimeoutSeconds
        ) {
          findings.push({
            check: 'task-heartbeat',
            state: name,
            message: `Task ${name}: HeartbeatSeconds ${state.HeartbeatSeconds} must be less than TimeoutSeconds ${state.TimeoutSeconds}.`,
          });
        }
      }
      return findings;
    });

/** No Task's TimeoutSeconds is longer than its kind's bound in {@link TASK_TIMEOUT_BOUNDS}. */
export const checkTimeoutBounds = (definition: AslDefinition): Finding[] =>
  walkStates(definition)
    .filter(({ state }) => state.Type === 'Task')
    .flatMap(({ name, state }): Finding[] => {
      const resource = state.Resource ?? '';
      const bound = TASK_TIMEOUT_BOUNDS.find((candidate) => candidate.matches(resource));
      if (bound === undefined) {
        return [
          {
            check: 'timeout-bound',
            state: name,
            message: `Task ${name}: no timeout bound is stated for resource ${resource}; add one to TASK_TIMEOUT_BOUNDS.`,
          },
        ];
      }
      if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > bound.maxTimeoutSeconds) {
        return [
          {
            check: 'timeout-bound',
            state: name,
            message: `Task ${name}: TimeoutSeconds ${state.TimeoutSeconds} exceeds the ${bound.maxTimeoutSeconds} s bound of a ${bound.kind} task (${bound.why}).`,
          },
        ];
      }
      return [];
    });

/** Every Task has a Catch on States.ALL, or sits in a Parallel/Map that has one. */
export const checkCatchCoverage = (definition: AslDefinition): Finding[] =>
  walkStates(definition)
    .filter(({ state }) => state.Type === 'Task')
    .filter(({ state, enclosing }) => !catchesAll(state) && !enclosing.some(catchesAll))
    .map(({ name }) => ({
      check: 'catch-coverage',
      state: name,
      message: `Task ${name} has no Catch on States.ALL and no enclosing Parallel/Map catches its errors.`,
    }));

/** An EXPRESS machine has no callback (.waitForTaskToken) and no .sync task: Express does not support them. */
export const checkNoCallbackInExpress = (machine: SynthesizedStateMachine): Finding[] =>
  machine.type !== 'EXPRESS'
    ? []
    : walkStates(machine.definition)
        .filter(({ state }) => state.Type === 'Task' && (isCallback(state) || isSync(state)))
        .map(({ name, state }) => ({
          check: 'express-callback',
          state: name,
          message: `Task ${name} (${state.Resource ?? ''}) waits for a callback or a job, which an EXPRESS state machine does not support.`,
        }));

const attempts = (state: AslState): number =>
  1 + (state.Retry ?? []).reduce((sum, retrier) => sum + (retrier.MaxAttempts ?? 3), 0);

/** History events one visit of a state adds at worst, its successors excluded. */
const stateEvents = (state: AslState): number => {
  switch (state.Type) {
    case 'Task':
      // TaskStateEntered/Exited, then per attempt TaskScheduled, TaskStarted, (TaskSubmitted,) TaskSucceeded|Failed|TimedOut.
      return 2 + attempts(state) * (isCallback(state) || isSync(state) ? 4 : 3);
    case 'Parallel': {
      // ParallelStateEntered/Started/Succeeded|Failed/Exited around all branches, per attempt.
      const branches = (state.Branches ?? []).reduce(
        (sum, branch) => sum + worstCaseHistoryEvents(branch, false),
        0,
      );
      return attempts(state) * (4 + branches);
    }
    case 'Map':
      throw new Error(
        'worstCaseHistoryEvents: Map states are not modelled (their events grow with the items).',
      );
    default:
      // Choice, Pass, Wait, Succeed: Entered + Exited; Fail: Entered (counted as 2 to stay an upper bound).
      return 2;
  }
};

const successors = (state: AslState): string[] => [
  ...(state.Next === undefined ? [] : [state.Next]),
  ...(state.Choices ?? []).map((choice) => choice.Next),
  ...(state.Default === undefined ? [] : [state.Default]),
  ...(state.Catch ?? []).map((catcher) => catcher.Next),
];

/**
 * The most history events one execution can write: the costliest path from StartAt to an end, where every
 * Task exhausts its retries. Throws on a loop (its worst case is unbounded). `withExecution` adds
 * ExecutionStarted and ExecutionSucceeded/Failed.
 */
export const worstCaseHistoryEvents = (definition: AslDefinition, withExecution = true): number => {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const cost = (name: string): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const state = definition.States[name];
    if (state === undefined) throw new Error(`worstCaseHistoryEvents: unknown state ${name}.`);
    if (visiting.has(name))
      throw new Error(`worstCaseHistoryEvents: loop through ${name}; the worst case is unbounded.`);
    visiting.add(name);
    const next = Math.max(0, ...successors(state).map(cost));
    visiting.delete(name);
    const total = stateEvents(state) + next;
    memo.set(name, total);
    return total;
  };
  return cost(definition.StartAt) + (withExecution ? 2 : 0);
};

/** The local identity's values, substituted for the rendered references before asl-validator checks ARNs. */
const concretise = (definition: AslDefinition): unknown =>
  JSON.parse(
    JSON.stringify(definition)
      .replaceAll('${AWS::Partition}', 'aws')
      .replaceAll('${AWS::Region}', 'us-east-1')
      .replaceAll('${AWS::AccountId}', '000000000000')
      .replace(/\$\{ssm:[^}]*function-arn\}/g, 'arn:aws:lambda:us-east-1:000000000000:function:task')
      .replace(/\$\{[^}]+\}/g, 'resolved-at-deploy'),
  );

/** The definition is valid Amazon States Language (asl-validator: JSON schema, transitions, paths, ARNs). */
export const checkAslValid = (definition: AslDefinition): Finding[] => {
  const result = aslValidator(concretise(definition), { checkPaths: true, checkArn: true });
  return result.isValid
    ? []
    : result.errors.map((error) => ({ check: 'asl-valid', state: '-', message: error.message }));
};
