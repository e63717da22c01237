import { Engine } from './engine';
import { MemoryStore } from './store';
import { VirtualClock } from './clock';

/** Engine.testState: TestState with the engine's own integrations (a tested startExecution starts an execution). */

const START = {
  Type: 'Task',
  Resource: 'arn:aws:states:::states:startExecution',
  Parameters: { 'StateMachineArn.$': '$.arn', Name: 'from-test-state', 'Input.$': '$.payload' },
  End: true,
};
const ROLE = 'arn:aws:iam::123456789012:role/test';

async function engine(): Promise<Engine> {
  const e = new Engine({
    store: new MemoryStore(),
    clock: new VirtualClock(Date.UTC(2026, 0, 1)),
    integrations: { resolve: () => undefined },
  });
  await e.start();
  return e;
}

describe('Engine.testState', () => {
  it('starts the execution a tested states:startExecution task asks for', async () => {
    // Arrange
    const e = await engine();
    const { stateMachineArn } = await e.createStateMachine({
      name: 'Target',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    // Act
    const r = await e.testState({
      definition: JSON.stringify(START),
      roleArn: ROLE,
      input: JSON.stringify({ arn: stateMachineArn, payload: { x: 1 } }),
    });
    const described = await e.describeExecution({
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:from-test-state`,
    });
    // Assert
    expect(r).toStrictEqual({
      status: 'SUCCEEDED',
      output: JSON.stringify({ ExecutionArn: described.executionArn, StartDate: Date.UTC(2026, 0, 1) }),
    });
    expect(described.input).toBe('{"x":1}');
    await e.close();
  });

  it('fails when the state machine to start does not exist, as the task error AWS names', async () => {
    // Arrange
    const e = await engine();
    // Act
    const r = await e.testState({
      definition: JSON.stringify(START),
      roleArn: ROLE,
      input: JSON.stringify({ arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Nope', payload: {} }),
    });
    // Assert
    expect([r.status, r.error]).toStrictEqual(['FAILED', 'StepFunctions.StateMachineDoesNotExistException']);
    await e.close();
  });
});
