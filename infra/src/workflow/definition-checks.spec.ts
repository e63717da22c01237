import {
  HISTORY_EVENT_LIMIT,
  TASK_TIMEOUT_BOUNDS,
  checkAslValid,
  checkCatchCoverage,
  checkNoCallbackInExpress,
  checkTaskTimeouts,
  checkTimeoutBounds,
  worstCaseHistoryEvents,
} from './definition-checks';
import { type AslDefinition, type SynthesizedStateMachine, synthesizedStateMachines } from './asl';
import { type SynthesizedApp, synthesizeApp } from '../testing/synth';

const lambdaInvoke = 'arn:aws:states:::lambda:invoke';
const callback = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const catchAll = [{ ErrorEquals: ['States.ALL'], Next: 'Done' }];
const machine = (
  definition: AslDefinition,
  type: 'STANDARD' | 'EXPRESS' = 'STANDARD',
): SynthesizedStateMachine => ({
  logicalId: 'Machine',
  name: 'Machine',
  type,
  definition,
});

describe('definition checks on the synthesized ComplexWorkflow', () => {
  let synthesized: SynthesizedApp;

  beforeAll(() => {
    synthesized = synthesizeApp();
  });

  it('every Task has a TimeoutSeconds, and a HeartbeatSeconds below it where it waits for a token', () => {
    // Arrange / Act
    const findings = checkTaskTimeouts(synthesized.workflow.definition);

    // Assert
    expect(findings).toStrictEqual([]);
  });

  it('no Task timeout is longer than the bound of its kind', () => {
    // Arrange / Act
    const findings = checkTimeoutBounds(synthesized.workflow.definition);

    // Assert
    expect(findings).toStrictEqual([]);
  });

  it('every Task has a Catch on States.ALL or an enclosing one', () => {
    // Arrange / Act
    const findings = checkCatchCoverage(synthesized.workflow.definition);

    // Assert
    expect(findings).toStrictEqual([]);
  });

  it('no state machine of any stack is EXPRESS with a callback', () => {
    // Arrange
    const stackKeys = Object.keys(synthesized.stacks) as (keyof typeof synthesized.stacks)[];
    const machines = stackKeys.flatMap((key) => synthesizedStateMachines(synthesized.json(key)));

    // Act
    const findings = machines.flatMap(checkNoCallbackInExpress);

    // Assert
    expect(machines.map((m) => m.name)).toStrictEqual(['ComplexWorkflow']);
    expect(findings).toStrictEqual([]);
  });

  it('the worst-case history of one execution stays far below the 25,000-event limit', () => {
    // Arrange / Act
    const events = worstCaseHistoryEvents(synthesized.workflow.definition);

    // Assert: a tenth of the limit would already be a design smell; this workflow needs a few hundred.
    expect(events).toBeGreaterThan(50);
    expect(events).toBeLessThan(HISTORY_EVENT_LIMIT / 25);
  });

  it('is valid Amazon States Language (asl-validator)', () => {
    // Arrange / Act
    const findings = checkAslValid(synthesized.workflow.definition);

    // Assert
    expect(findings).toStrictEqual([]);
  });
});

describe('definition checks catch the common mistakes', () => {
  it('fails when a Task has no TimeoutSeconds', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: lambdaInvoke, End: true } },
    };

    // Act
    const findings = checkTaskTimeouts(definition);

    // Assert
    expect(findings).toStrictEqual([
      {
        check: 'task-timeout',
        state: 'Work',
        message: 'Task Work has no TimeoutSeconds (the default is 99999999 s).',
      },
    ]);
  });

  it('fails when a callback Task has no HeartbeatSeconds, or one not below its timeout', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: callback, TimeoutSeconds: 3600, Next: 'B' },
        B: { Type: 'Task', Resource: callback, TimeoutSeconds: 3600, HeartbeatSeconds: 3600, End: true },
      },
    };

    // Act
    const findings = checkTaskTimeouts(definition);

    // Assert
    expect(findings.map((finding) => [finding.state, finding.check])).toStrictEqual([
      ['A', 'task-heartbeat'],
      ['B', 'task-heartbeat'],
    ]);
    expect(findings[1]?.message).toBe('Task B: HeartbeatSeconds 3600 must be less than TimeoutSeconds 3600.');
  });

  it('fails when a timeout exceeds the bound of its task kind, or the kind has no stated bound', () => {
    // Arrange
    const lambdaBound =
      TASK_TIMEOUT_BOUNDS.find((bound) => bound.kind === 'lambda:invoke')?.maxTimeoutSeconds ?? 0;
    const definition: AslDefinition = {
      StartAt: 'Slow',
      States: {
        Slow: { Type: 'Task', Resource: lambdaInvoke, TimeoutSeconds: lambdaBound + 1, Next: 'Unknown' },
        Unknown: {
          Type: 'Task',
          Resource: 'arn:aws:states:::glue:startJobRun.sync',
          TimeoutSeconds: 60,
          End: true,
        },
      },
    };

    // Act
    const findings = checkTimeoutBounds(definition);

    // Assert
    expect(findings.map((finding) => finding.state)).toStrictEqual(['Slow', 'Unknown']);
    expect(findings[0]?.message).toMatch(
      /^Task Slow: TimeoutSeconds 121 exceeds the 120 s bound of a lambda:invoke task/,
    );
  });

  it('fails when a Task has no Catch on States.ALL and no enclosing Parallel catches', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Inner',
              States: { Inner: { Type: 'Task', Resource: lambdaInvoke, TimeoutSeconds: 5, End: true } },
            },
          ],
          Next: 'Narrow',
        },
        Narrow: {
          Type: 'Task',
          Resource: lambdaInvoke,
          TimeoutSeconds: 5,
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Done' }],
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const findings = checkCatchCoverage(definition);

    // Assert
    expect(findings.map((finding) => finding.state)).toStrictEqual(['Inner', 'Narrow']);
  });

  it('passes a Task inside a Parallel that catches everything', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Inner',
              States: { Inner: { Type: 'Task', Resource: lambdaInvoke, TimeoutSeconds: 5, End: true } },
            },
          ],
          Catch: catchAll,
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };

    // Act / Assert
    expect(checkCatchCoverage(definition)).toStrictEqual([]);
  });

  it('fails when an EXPRESS state machine waits for a task token', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Task', Resource: callback, TimeoutSeconds: 60, HeartbeatSeconds: 30, End: true },
      },
    };

    // Act
    const express = checkNoCallbackInExpress(machine(definition, 'EXPRESS'));
    const standard = checkNoCallbackInExpress(machine(definition, 'STANDARD'));

    // Assert
    expect(express.map((finding) => [finding.check, finding.state])).toStrictEqual([
      ['express-callback', 'Wait'],
    ]);
    expect(standard).toStrictEqual([]);
  });

  it('counts every retry attempt of the costliest path', () => {
    // Arrange: a Task with 2 retriers (3 + 2 attempts) then a Choice to one of two ends.
    const definition: AslDefinition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: lambdaInvoke,
          TimeoutSeconds: 5,
          Retry: [
            { ErrorEquals: ['A'], MaxAttempts: 3 },
            { ErrorEquals: ['B'], MaxAttempts: 2 },
          ],
          Next: 'Route',
        },
        Route: { Type: 'Choice', Choices: [{ Next: 'Done' }], Default: 'Oops' },
        Done: { Type: 'Succeed' },
        Oops: { Type: 'Fail' },
      },
    };

    // Act
    const events = worstCaseHistoryEvents(definition);

    // Assert: execution 2 + task (2 + 6 attempts × 3) + choice 2 + end 2.
    expect(events).toBe(2 + 20 + 2 + 2);
  });

  it('fails when the definition loops (its worst case is unbounded)', () => {
    // Arrange
    const definition: AslDefinition = {
      StartAt: 'Again',
      States: { Again: { Type: 'Pass', Next: 'Again' } },
    };

    // Act / Assert
    expect(() => worstCaseHistoryEvents(definition)).toThrow(
      'worstCaseHistoryEvents: loop through Again; the worst case is unbounded.',
    );
  });

  it('fails when the definition is not valid ASL', () => {
    // Arrange: a transition to a state that does not exist.
    const definition: AslDefinition = {
      StartAt: 'Start',
      States: { Start: { Type: 'Pass', Next: 'Nowhere' } },
    };

    // Act
    const findings = checkAslValid(definition);

    // Assert
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((finding) => finding.check)).toContain('asl-valid');
  });
});
