import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  type LocalDynamoDb,
  captureOutput,
  createLambdaContext,
  loadSampleEvent,
  parseJsonLines,
  startLocalDynamoDb,
} from '@flow/testing';
import type * as Handler from './handler';

// The handler with the real Powertools DynamoDBPersistenceLayer against dynalite (in memory, loopback only), the
// DynamoDB engine the local cloud runs: checks that a duplicate delivery is answered from the idempotency table.
let local: LocalDynamoDb;
let handler: (typeof Handler)['handler'];

beforeAll(async () => {
  local = await startLocalDynamoDb([{ name: 'process-order-idempotency', partitionKey: 'id' }]);
  process.env['AWS_ENDPOINT_URL_DYNAMODB'] = local.endpoint;
  // Metrics on (jest.env.cjs turns them off elsewhere): the replay's metric is part of what this spec checks.
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'false';
  await jest.isolateModulesAsync(async () => {
    ({ handler } = await import('./handler'));
  });
});
afterAll(async () => {
  delete process.env['AWS_ENDPOINT_URL_DYNAMODB'];
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
  await local.stop();
});

describe('process-order handler on a local DynamoDB', () => {
  it('processes an event once and answers its redelivery from the idempotency table', async () => {
    // Arrange
    const event = loadSampleEvent('order-auto-approved', 'evt-local-1');
    const context = createLambdaContext({ functionName: 'process-order' });
    const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:local-1';
    const results: unknown[] = [];

    // Act
    const first = await captureOutput(async () => {
      results.push(await handler({ event, executionId }, context));
    });
    const replay = await captureOutput(async () => {
      results.push(await handler({ event: structuredClone(event), executionId }, context));
    });
    const lines = [...first, ...replay];

    // Assert
    expect(results[1]).toStrictEqual(results[0]);
    expect(results[0]).toMatchObject({ status: 'success', eventId: 'evt-local-1' });
    expect(parseJsonLines(lines).filter((line) => line['message'] === 'order processed')).toHaveLength(1);
    // The replay is counted, and nothing is logged at WARN (Powertools warns about an invocation that counts nothing).
    expect(parseJsonLines(replay)).toContainEqual(expect.objectContaining({ OrderDeliveriesReplayed: 1 }));
    expect(parseJsonLines(lines).filter((line) => line['level'] === 'WARN')).toStrictEqual([]);
    const { Items = [] } = await local.client.send(
      new ScanCommand({ TableName: 'process-order-idempotency' }),
    );
    expect(Items.map((item) => item['status']?.S)).toStrictEqual(['COMPLETED']);
  });
});
