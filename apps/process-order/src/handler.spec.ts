import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { captureOutput, createLambdaContext, loadSampleEvent, parseJsonLines } from '@flow/testing';
import { handler } from './handler';
import { mockIdempotencyTable } from './test-support/idempotency-table';

const context = createLambdaContext({ functionName: 'process-order' });
let table: ReturnType<typeof mockIdempotencyTable>;

beforeEach(() => {
  table = mockIdempotencyTable();
});
afterEach(() => {
  table.client.restore();
});

/** Invokes the handler, returning its result (or error) and the log lines it wrote. */
const invoke = async (event: unknown) => {
  let outcome: { result?: unknown; error?: unknown } = {};
  const lines = await captureOutput(async () => {
    outcome = await handler(event, context).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
  });
  return { ...outcome, logs: parseJsonLines(lines) };
};

describe('process-order handler', () => {
  it('returns the priced order and records the event id as processed', async () => {
    // Arrange
    const event = loadSampleEvent('order-auto-approved', 'evt-100');

    // Act
    const { result, logs } = await invoke(event);

    // Assert
    expect(result).toMatchObject({
      status: 'success',
      eventId: 'evt-100',
      order: { orderId: 'ord-1001', totals: { total: 53.3 } },
    });
    expect([...table.items.values()].map((item) => item['status']?.S)).toStrictEqual(['COMPLETED']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        message: 'order processed',
        eventId: 'evt-100',
        orderId: 'ord-1001',
        service: 'process-order',
      }),
    );
  });

  it('does not process a duplicate delivery of the same event again', async () => {
    // Arrange
    const event = loadSampleEvent('order-needs-approval', 'evt-200');
    const first = await invoke(event);

    // Act
    const second = await invoke(structuredClone(event));

    // Assert
    expect(second.result).toStrictEqual(first.result);
    expect(second.logs.filter((line) => line['message'] === 'order processed')).toHaveLength(0);
    expect(table.client.commandCalls(PutItemCommand)).toHaveLength(2);
    expect(table.client.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  it('processes a different event for the same order separately', async () => {
    // Arrange
    await invoke(loadSampleEvent('order-auto-approved', 'evt-300'));

    // Act
    const { result } = await invoke(loadSampleEvent('order-auto-approved', 'evt-301'));

    // Assert
    expect(result).toMatchObject({ status: 'success', eventId: 'evt-301' });
    expect(table.items.size).toBe(2);
  });

  it('returns status invalid with field errors for an invalid order', async () => {
    // Arrange
    const event = loadSampleEvent('order-invalid', 'evt-400');

    // Act
    const { result, logs } = await invoke(event);

    // Assert
    expect(result).toMatchObject({
      status: 'invalid',
      eventId: 'evt-400',
      orderId: 'ord-3001',
      validation: { error: 'ValidationError' },
    });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'order is invalid' }));
  });

  it('fails with InvalidTaskInputError when the payload is not an EventBridge event', async () => {
    // Act
    const { error } = await invoke({ orderId: 'ord-1', lines: [] });

    // Assert
    expect(error).toEqual(
      expect.objectContaining({
        name: 'InvalidTaskInputError',
        message: expect.stringContaining('ProcessTask expects the OrderSubmitted EventBridge event'),
      }),
    );
  });

  it('fails with the retryable TransientDependencyError when the idempotency table is throttled', async () => {
    // Arrange
    table.client.on(PutItemCommand).rejects(
      Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const { error } = await invoke(loadSampleEvent('order-auto-approved', 'evt-500'));

    // Assert
    expect(error).toEqual(expect.objectContaining({ name: 'TransientDependencyError' }));
  });

  it('fails with the retryable IdempotencyAlreadyInProgressError while another invocation holds the event', async () => {
    // Arrange
    const event = loadSampleEvent('order-auto-approved', 'evt-600');
    await invoke(event);
    const [key = ''] = table.items.keys();
    // The record as a first invocation that is still running left it.
    table.items.set(key, {
      id: { S: key },
      status: { S: 'INPROGRESS' },
      expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
      in_progress_expiration: { N: String(Date.now() + 60_000) },
    });

    // Act
    const { error } = await invoke(structuredClone(event));

    // Assert
    expect(error).toEqual(expect.objectContaining({ name: 'IdempotencyAlreadyInProgressError' }));
  });

  it('answers a redelivery started as another execution with status duplicate', async () => {
    // Arrange
    const first = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:first';
    const second = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:second';
    const event = loadSampleEvent('order-needs-approval', 'evt-700');
    const firstRun = await invoke({ ...event, executionId: first });

    // Act
    const retry = await invoke({ ...structuredClone(event), executionId: first });
    const secondRun = await invoke({ ...structuredClone(event), executionId: second });

    // Assert
    expect(firstRun.result).toMatchObject({ status: 'success', executionId: first });
    expect(retry.result).toStrictEqual(firstRun.result);
    expect(secondRun.result).toStrictEqual({
      status: 'duplicate',
      eventId: 'evt-700',
      orderId: 'ord-2001',
      firstExecutionId: first,
    });
  });
});
