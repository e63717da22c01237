/**
 * The state machines the benchmark runs on both engines.
 */

const FN = (name: string): string => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/**
 * The "tiny" workflow of the reference measurements: Task → Choice → Parallel(2 Tasks) → Task with Retry/Catch →
 * Succeed. 7 states entered per execution (including the 2 branch Tasks).
 */
export const TINY = {
  Comment: 'bench: tiny',
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Task', Resource: FN('validate'), ResultPath: '$.validated', Next: 'Route' },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.amount', NumericGreaterThan: 100, Next: 'Checks' }],
      Default: 'Checks',
    },
    Checks: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Risk', States: { Risk: { Type: 'Task', Resource: FN('risk'), End: true } } },
        { StartAt: 'Stock', States: { Stock: { Type: 'Task', Resource: FN('stock'), End: true } } },
      ],
      ResultPath: '$.checks',
      Next: 'Finalize',
    },
    Finalize: {
      Type: 'Task',
      Resource: FN('finalize'),
      Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2, IntervalSeconds: 1, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
      ResultPath: '$.final',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
} as const;

/** States entered per TINY execution. */
export const TINY_TRANSITIONS = 7;

/** A chain of `n` Pass states with a small Parameters template each (per-state interpreter overhead). */
export function passChain(n: number): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    states[`P${i}`] = {
      Type: 'Pass',
      Parameters: { 'step.$': '$.step', 'name.$': '$.name', i },
      ResultPath: '$.last',
      ...(i === n - 1 ? { End: true } : { Next: `P${i + 1}` }),
    };
  }
  return { Comment: `bench: ${n} Pass states`, StartAt: 'P0', States: states };
}

/** A callback Task (`.waitForTaskToken`) followed by a Pass state. */
export const CALLBACK = {
  Comment: 'bench: callback',
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: 'http://127.0.0.1:4566/000000000000/approvals',
        MessageBody: { 'token.$': '$$.Task.Token' },
      },
      TimeoutSeconds: 604800,
      Next: 'After',
    },
    After: { Type: 'Pass', End: true },
  },
} as const;

/** The input every execution gets. */
export const INPUT = { amount: 150, step: 1, name: 'order-1' };
