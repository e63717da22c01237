import { executionPath, type HistoryEventJson, standardCost } from './execution-path';

let id = 0;
const ev = (
  type: string,
  previousEventId: number,
  details: Record<string, unknown> = {},
): HistoryEventJson => {
  id += 1;
  const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  return {
    id,
    previousEventId,
    type,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, id)).toISOString(),
    [key]: details,
  };
};

describe('executionPath', () => {
  beforeEach(() => {
    id = 0;
  });

  it('derives steps, retries, a caught error, outcomes and the billed transitions', () => {
    // Arrange: a task retried once then caught, then a Fail state
    const events = [
      ev('ExecutionStarted', 0, { input: '{}' }),
      ev('TaskStateEntered', 1, { name: 'Work', input: '{"a":1}' }),
      ev('TaskScheduled', 2),
      ev('TaskFailed', 3, { error: 'Transient', cause: 'first' }),
      ev('TaskScheduled', 4),
      ev('TaskFailed', 5, { error: 'Boom', cause: 'second' }),
      ev('TaskStateExited', 6, { name: 'Work', output: '{"error":{}}' }),
      ev('FailStateEntered', 7, { name: 'Failed', input: '{"error":{}}' }),
      ev('ExecutionFailed', 8, { error: 'Boom', cause: 'second' }),
    ];

    // Act
    const path = executionPath(events, 'FAILED');

    // Assert
    expect(path).toStrictEqual({
      steps: [
        {
          name: 'Work',
          enteredEventId: 2,
          enteredAt: events[1]?.timestamp,
          exitedAt: events[6]?.timestamp,
          input: '{"a":1}',
          output: '{"error":{}}',
          status: 'caught',
          retries: 1,
          error: 'Boom',
          cause: 'second',
        },
        {
          name: 'Failed',
          enteredEventId: 8,
          enteredAt: events[7]?.timestamp,
          exitedAt: events[8]?.timestamp,
          input: '{"error":{}}',
          status: 'failed',
          retries: 0,
          error: 'Boom',
          cause: 'second',
        },
      ],
      outcomes: { Work: 'caught', Failed: 'failed' },
      transitions: 3,
      costUsd: 0.000075,
      error: 'Boom',
      cause: 'second',
    });
  });

  it('keeps a waiting state running while the execution runs, attributing interleaved branch events', () => {
    // Arrange: two parallel branches, one waiting for a callback
    const events = [
      ev('ExecutionStarted', 0),
      ev('ParallelStateEntered', 1, { name: 'Fan' }),
      ev('TaskStateEntered', 2, { name: 'Left' }),
      ev('TaskStateEntered', 2, { name: 'Right' }),
      ev('TaskScheduled', 3),
      ev('TaskScheduled', 4),
      ev('TaskSucceeded', 6, { output: '{}' }),
      ev('TaskStateExited', 7, { name: 'Right', output: '{}' }),
    ];

    // Act
    const path = executionPath(events, 'RUNNING');

    // Assert
    expect(path.outcomes).toStrictEqual({ Fan: 'running', Left: 'running', Right: 'succeeded' });
    expect(path.steps.map((s) => s.retries)).toStrictEqual([0, 0, 0]);
    expect(path.transitions).toBe(3);
  });

  it('marks the open state aborted when the execution was stopped', () => {
    // Arrange
    const events = [
      ev('ExecutionStarted', 0),
      ev('TaskStateEntered', 1, { name: 'Wait' }),
      ev('ExecutionAborted', 2, { error: 'Console.Stopped' }),
    ];

    // Act
    const path = executionPath(events, 'ABORTED');

    // Assert
    expect(path.outcomes).toStrictEqual({ Wait: 'aborted' });
    expect(path.error).toBe('Console.Stopped');
  });
});

describe('standardCost', () => {
  it('charges $0.025 per 1,000 transitions', () => {
    // Arrange / Act / Assert
    expect(standardCost(1000)).toBeCloseTo(0.025, 12);
    expect(standardCost(0)).toBe(0);
  });
});
