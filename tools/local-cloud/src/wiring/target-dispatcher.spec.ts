import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Engine, MemoryStore } from '@flow/asl-engine';
import { LambdaLogStore, LambdaRuntime } from '../lambda';
import { SqsService } from '../sqs';
import { createIntegrations } from './integrations';
import { createTargetDispatcher, TargetDeliveryError } from './target-dispatcher';
import { probeFunctionSpec } from '../../test/fixtures/lambda/probe-spec';

const repoRoot = resolve(__dirname, '../../../..');

describe('createTargetDispatcher', () => {
  let dataDir: string;
  let logs: LambdaLogStore;
  let lambda: LambdaRuntime;
  let sqs: SqsService;
  let engine: Engine;
  let dispatcher: ReturnType<typeof createTargetDispatcher>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dispatch-'));
    logs = new LambdaLogStore();
    lambda = new LambdaRuntime({ repoRoot, dataDir, endpoint: () => 'http://127.0.0.1:4566', logs });
    lambda.register(probeFunctionSpec('probe', { timeoutSeconds: 10 }));
    sqs = await SqsService.open();
    sqs.createQueue({ QueueName: 'targets' });
    engine = new Engine({ store: new MemoryStore(), integrations: createIntegrations({ lambda, sqs }) });
    await engine.start();
    await engine.createStateMachine({
      name: 'Echo',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
    });
    dispatcher = createTargetDispatcher({ engine, lambda, sqs });
  });

  afterAll(async () => {
    await engine.close();
    await lambda.close();
    await sqs.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts an execution of a state machine target with the input', async () => {
    // Act
    await dispatcher.dispatch(
      { Id: 't', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Echo' },
      '{"detail":{"orderId":"o-1"}}',
    );
    const { executions } = await engine.listExecutions({
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Echo',
    });
    const done = await engine.waitForExecution(executions[0]?.executionArn ?? '');

    // Assert
    expect([done.status, done.output]).toStrictEqual(['SUCCEEDED', '{"detail":{"orderId":"o-1"}}']);
  });

  it('sends the input to a queue target', async () => {
    // Act
    await dispatcher.dispatch({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:targets' }, '{"n":1}');
    const { Messages } = await sqs.receiveMessage({ QueueUrl: sqs.queueUrl('targets') });

    // Assert
    expect(Messages?.map((m) => m.Body)).toStrictEqual(['{"n":1}']);
  });

  it('invokes a function target asynchronously', async () => {
    // Act
    await dispatcher.dispatch(
      { Id: 't', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:probe' },
      '{"action":"log"}',
    );
    for (
      let i = 0;
      i < 100 && logs.query({ functionName: 'probe' }).every((e) => !e.message.startsWith('END'));
      i += 1
    ) {
      await new Promise((done) => setTimeout(done, 50));
    }

    // Assert
    expect(logs.query({ functionName: 'probe' }).map((e) => e.message)).toContain(
      '{"level":"INFO","message":"structured"}',
    );
  }, 60_000);

  it('fails when the target does not exist', async () => {
    // Act / Assert
    await expect(
      dispatcher.dispatch({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:missing' }, '{}'),
    ).rejects.toStrictEqual(
      new TargetDeliveryError(
        'ResourceNotFoundException',
        'Queue arn:aws:sqs:us-east-1:000000000000:missing does not exist',
      ),
    );
    await expect(
      dispatcher.dispatch({ Id: 't', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:nope' }, '{}'),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    await expect(
      dispatcher.dispatch({ Id: 't', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Nope' }, '{}'),
    ).rejects.toMatchObject({ code: 'StateMachineDoesNotExist' });
  });
});
