import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { SfnTaskTokenClient, TaskTokenExpiredError, TaskTokenNotFoundError } from './task-token-client';

const sfn = mockClient(SFNClient);
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAxclient-token';

beforeEach(() => sfn.reset());

describe('SfnTaskTokenClient', () => {
  it('completes with the output as JSON text', async () => {
    // Arrange
    sfn.on(SendTaskSuccessCommand).resolves({});
    const client = new SfnTaskTokenClient(new SFNClient({ region: 'us-east-1' }));
    // Act
    await client.complete(TOKEN, { decision: 'reject' });
    // Assert
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input)).toStrictEqual([
      { taskToken: TOKEN, output: '{"decision":"reject"}' },
    ]);
  });

  it('sends failures and heartbeats', async () => {
    // Arrange
    sfn.on(SendTaskFailureCommand).resolves({});
    sfn.on(SendTaskHeartbeatCommand).resolves({});
    const client = new SfnTaskTokenClient(new SFNClient({ region: 'us-east-1' }));
    // Act
    await client.fail(TOKEN, 'Rejected', 'no');
    await client.heartbeat(TOKEN);
    // Assert
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toStrictEqual({
      taskToken: TOKEN,
      error: 'Rejected',
      cause: 'no',
    });
    expect(sfn.commandCalls(SendTaskHeartbeatCommand)[0]?.args[0].input).toStrictEqual({ taskToken: TOKEN });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }), TaskTokenExpiredError],
    [
      'TaskDoesNotExist',
      new TaskDoesNotExist({ message: 'Task does not exist', $metadata: {} }),
      TaskTokenNotFoundError,
    ],
    ['InvalidToken', new InvalidToken({ message: 'Invalid token', $metadata: {} }), TaskTokenNotFoundError],
  ])(
    'fails with a typed error when Step Functions answers %s, never naming the token',
    async (_, error, expected) => {
      // Arrange
      sfn.on(SendTaskSuccessCommand).rejects(error);
      sfn.on(SendTaskHeartbeatCommand).rejects(error);
      const client = new SfnTaskTokenClient(new SFNClient({ region: 'us-east-1' }));
      // Act
      const completing = client.complete(TOKEN, {});
      const beating = client.heartbeat(TOKEN);
      // Assert
      await expect(completing).rejects.toBeInstanceOf(expected);
      await expect(beating).rejects.toBeInstanceOf(expected);
      await expect(client.complete(TOKEN, {})).rejects.not.toThrow(TOKEN);
    },
  );

  it('fails with the original error for anything else (transient: the caller retries)', async () => {
    // Arrange
    const throttled = new Error('ThrottlingException');
    sfn.on(SendTaskSuccessCommand).rejects(throttled);
    const client = new SfnTaskTokenClient(new SFNClient({ region: 'us-east-1' }));
    // Act
    const attempt = client.complete(TOKEN, {});
    // Assert
    await expect(attempt).rejects.toBe(throttled);
  });
});
