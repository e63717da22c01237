import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { deriveApprovalId } from '@flow/contracts';
import { buildSqsEvent, buildSqsRecord, captureOutput, createLambdaContext } from '@flow/testing';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

const TABLE = 'approvals-table';
const BUS = 'orders';
process.env['APPROVALS_TABLE_NAME'] = TABLE;
process.env['EVENT_BUS_NAME'] = BUS;
process.env['POWERTOOLS_DEV'] = 'false';

const dynamo = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);

/** A tiny stateful stand-in for the table: conditional puts behave as in DynamoDB. */
const table = new Map<string, Record<string, unknown>>();
const keyOf = (key: Record<string, unknown>): string => `${String(key['pk'])}|${String(key['sk'])}`;

const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAd1spatcher-secret-task-token';
const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-2001';
const request = {
  taskToken: TOKEN,
  orderId: 'o-2001',
  executionId: EXECUTION,
  amount: 4200,
  currency: 'EUR',
  reasons: ['risk high'],
  requestedBy: 'carol',
  requestedAt: '2026-11-24T09:00:00.000Z',
  timeoutSeconds: 3600,
};

const loadHandler = async (): Promise<(event: SQSEvent) => Promise<SQSBatchResponse>> => {
  const { handler } = await import('./handler');
  return (event) => handler(event, createLambdaContext({ functionName: 'approval-dispatcher' }));
};

beforeEach(() => {
  table.clear();
  dynamo.reset();
  events.reset();
  dynamo
    .on(PutCommand)
    .callsFake((input: { Item: Record<string, unknown>; ConditionExpression?: string }) => {
      const key = keyOf(input.Item);
      if (input.ConditionExpression?.startsWith('attribute_not_exists') === true && table.has(key)) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
        });
      }
      table.set(key, structuredClone(input.Item));
      return {};
    });
  dynamo
    .on(GetCommand)
    .callsFake((input: { Key: Record<string, unknown> }) => ({ Item: table.get(keyOf(input.Key)) }));
  dynamo.on(UpdateCommand).callsFake((input: { Key: Record<string, unknown> }) => {
    const item = table.get(keyOf(input.Key));
    if (item !== undefined) item['requestedEventPublished'] = true;
    return {};
  });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
});

describe('approval-dispatcher handler', () => {
  it('records a pending approval, keeps the token in its own item and publishes ApprovalRequested without it', async () => {
    // Arrange
    const handler = await loadHandler();
    const approvalId = await deriveApprovalId(EXECUTION);
    // Act
    const response = await handler(buildSqsEvent([request]));
    // Assert
    expect(response).toStrictEqual({ batchItemFailures: [] });
    const { taskToken: _token, timeoutSeconds: _timeout, ...requestFields } = request;
    const expectedFields = {
      ...requestFields,
      reasons: ['amount 4200 EUR is over the approval threshold of 1000', 'risk high'],
    };
    const approval = table.get(`APPROVAL#${approvalId}|APPROVAL`);
    expect(approval).toStrictEqual({
      pk: `APPROVAL#${approvalId}`,
      sk: 'APPROVAL',
      gsi1pk: 'STATUS#pending',
      gsi1sk: `2026-11-24T09:00:00.000Z#${approvalId}`,
      type: 'approval',
      approvalId,
      ...expectedFields,
      expiresAt: '2026-11-24T10:00:00.000Z',
      status: 'pending',
      requestedEventPublished: true,
    });
    expect(table.get(`APPROVAL#${approvalId}|TOKEN`)).toStrictEqual({
      pk: `APPROVAL#${approvalId}`,
      sk: 'TOKEN',
      type: 'task-token',
      approvalId,
      taskToken: TOKEN,
    });
    const entries = events.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries);
    expect(entries).toStrictEqual([
      [
        {
          EventBusName: BUS,
          Source: 'com.example.approvals',
          DetailType: 'ApprovalRequested',
          Detail: JSON.stringify({ approvalId, ...expectedFields, expiresAt: '2026-11-24T10:00:00.000Z' }),
          Resources: [EXECUTION],
        },
      ],
    ]);
  });

  it('records a redelivered message once: one approval, one audit entry, one ApprovalRequested', async () => {
    // Arrange
    const handler = await loadHandler();
    const approvalId = await deriveApprovalId(EXECUTION);
    // Act
    await handler({ Records: [buildSqsRecord(request, { messageId: 'm-1' })] });
    const second = await handler({
      Records: [buildSqsRecord(request, { messageId: 'm-1', receiveCount: '2' })],
    });
    // Assert
    expect(second).toStrictEqual({ batchItemFailures: [] });
    const approvals = [...table.values()].filter((item) => item['type'] === 'approval');
    expect(approvals.map((item) => item['approvalId'])).toStrictEqual([approvalId]);
    expect([...table.values()].filter((item) => item['type'] === 'audit')).toHaveLength(1);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('publishes again on redelivery when the first delivery failed before publishing', async () => {
    // Arrange
    const handler = await loadHandler();
    events
      .on(PutEventsCommand)
      .rejectsOnce(new Error('ThrottlingException'))
      .resolves({ FailedEntryCount: 0 });
    // Act
    const first = await handler({ Records: [buildSqsRecord(request, { messageId: 'm-1' })] });
    const second = await handler({ Records: [buildSqsRecord(request, { messageId: 'm-1' })] });
    // Assert
    expect(first).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(second).toStrictEqual({ batchItemFailures: [] });
    expect([...table.values()].filter((item) => item['type'] === 'approval')).toHaveLength(1);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('fails only the invalid record of a batch (partial batch response)', async () => {
    // Arrange
    const handler = await loadHandler();
    const { orderId: _orderId, ...withoutOrder } = request;
    const event: SQSEvent = {
      Records: [
        buildSqsRecord(request, { messageId: 'good' }),
        buildSqsRecord({ ...withoutOrder, executionId: `${EXECUTION}-b` }, { messageId: 'bad' }),
        buildSqsRecord('not json', { messageId: 'garbage' }),
      ],
    };
    // Act
    const response = await handler(event);
    // Assert
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toStrictEqual([
      'bad',
      'garbage',
    ]);
    expect([...table.values()].filter((item) => item['type'] === 'approval')).toHaveLength(1);
  });

  it('fails when PutEvents reports a failed entry, so only that message is retried', async () => {
    // Arrange
    const handler = await loadHandler();
    events
      .on(PutEventsCommand)
      .callsFake((input: { Entries: { Detail: string }[] }) =>
        input.Entries[0]?.Detail.includes('"o-2001"') === true
          ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] }
          : { FailedEntryCount: 0, Entries: [{ EventId: 'evt-2' }] },
      );
    const other = { ...request, orderId: 'o-2002', executionId: `${EXECUTION}-2` };
    // Act
    const response = await handler({
      Records: [buildSqsRecord(request, { messageId: 'm-9' }), buildSqsRecord(other, { messageId: 'm-10' })],
    });
    // Assert
    expect(response).toStrictEqual({ batchItemFailures: [{ itemIdentifier: 'm-9' }] });
  });

  it('never writes the task token to a log line, also when a record fails', async () => {
    // Arrange
    const handler = await loadHandler();
    const { orderId: _orderId, ...invalid } = request;
    dynamo.on(PutCommand).rejects(new Error(`boom while writing ${TOKEN}`));
    // Act
    const lines = await captureOutput(async () =>
      handler({
        Records: [
          buildSqsRecord(request, { messageId: 'a' }),
          buildSqsRecord({ ...invalid, taskToken: `${TOKEN}-2` }, { messageId: 'b' }),
        ],
      }),
    );
    // Assert
    expect(lines.some((line) => line.includes('approval request not recorded'))).toBe(true);
    expect(lines.some((line) => line.includes('invalid approval request'))).toBe(true);
    expect(lines.some((line) => line.includes('boom while writing [REDACTED]'))).toBe(true);
    expect(lines.filter((line) => line.includes('AQCEAAAAKgAAAAMAAAAAAAAAAd1spatcher'))).toStrictEqual([]);
  });
});
