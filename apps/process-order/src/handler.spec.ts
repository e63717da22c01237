import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { captureOutput, createLambdaContext, loadSampleEvent, parseJsonLines } from '@flow/testing';
import { handler } from './handler';
import { mockIdempotencyTable } from './test-support/idempotency-table';

const context = createLambdaContext({ functionName: 'process-order' });
const executionArn = (name: string): string =>
  `arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:${name}`;
/** The payload ProcessTask sends: `{ event: $, executionId: $$.Execution.Id }`. */
const payload = (event: unknown, execution = 'run-1') => ({ event, executionId: executionArn(execution) });
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
    const { result, logs } = await invoke(payload(event));

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
    const first = await invoke(payload(event));

    // Act
    const second = await invoke(payload(structuredClone(event)));

    // Assert
    expect(second.result).toStrictEqual(first.result);
    expect(second.logs.filter((line) => line['message'] === 'order processed')).toHaveLength(0);
    expect(table.client.commandCalls(PutItemCommand)).toHaveLength(2);
    expect(table.client.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  it('processes a different event for the same order separately', async () => {
    // Arrange
    await invoke(payload(loadSampleEvent('order-auto-approved', 'evt-300')));

    // Act
    const { result } = await invoke(payload(loadSampleEvent('order-auto-approved', 'evt-301')));

    // Assert
    expect(result).toMatchObject({ status: 'success', eventId: 'evt-301' });
    expect(table.items.size).toBe(2);
  });

  it('returns status invalid with field errors for an invalid order', async () => {
    // Arrange
    const event = loadSampleEvent('order-invalid', 'evt-400');

    // Act
    const { result, logs } = await invoke(payload(event));

    // Assert
    expect(result).toMatchObject({
      status: 'invalid',
      eventId: 'evt-400',
      orderId: 'ord-3001',
      validation: { error: 'ValidationError' },
    });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'order is invalid' }));
  });

  it('fails with InvalidTaskInputError when the payload is not the workflow wrapper (a wiring bug)', async () => {
    // Act
    const { error } = await invoke(loadSampleEvent('order-auto-approved', 'evt-450'));

    // Assert
    expect(error).toEqual(
      expect.objectContaining({
        name: 'InvalidTaskInputError',
        message: expect.stringContaining(
          'ProcessTask expects the OrderSubmitted EventBridge event as { event, executionId }',
        ),
      }),
    );
  });

  it('answers an execution input that is not an event with a ValidationError result, and remembers nothing', async () => {
    // Act
    const first = await invoke(payload({ status: 'success' }, 'seed-1'));
    const second = await invoke(payload({ status: 'success' }, 'seed-2'));

    // Assert
    const cause =
      'input is not an OrderSubmitted event: 9 validation errors: version: required; id: required; detail-type: required; source: required; account: required; time: required; region: required; resources: required; detail: required';
    expect([first.result, second.result]).toMatchObject([
      {
        status: 'invalid',
        validation: { error: 'ValidationError', cause, executionId: executionArn('seed-1') },
      },
      {
        status: 'invalid',
        validation: { error: 'ValidationError', cause, executionId: executionArn('seed-2') },
      },
    ]);
    expect(table.items.size).toBe(0);
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
    const { error } = await invoke(payload(loadSampleEvent('order-auto-approved', 'evt-500')));

    // Assert
    expect(error).toEqual(expect.objectContaining({ name: 'TransientDependencyError' }));
  });

  it('fails with the retryable TransientDependencyError when the idempotency table is missing', async () => {
    // Arrange: every call to the table fails, including the clean-up of the in-progress record
    const missing = () =>
      Object.assign(new Error('Requested resource not found'), {
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      });
    table.client.on(PutItemCommand).rejects(missing());
    table.client.on(DeleteItemCommand).rejects(missing());

    // Act
    const { error } = await invoke(payload(loadSampleEvent('order-auto-approved', 'evt-550')));

    // Assert
    expect(error).toEqual(expect.objectContaining({ name: 'TransientDependencyError' }));
  });

  it('fails with the retryable IdempotencyAlreadyInProgressError while another invocation holds the event', async () => {
    // Arrange
    const event = loadSampleEvent('order-auto-approved', 'evt-600');
    await invoke(payload(event));
    const [key = ''] = table.items.keys();
    // The record as a first invocation that is still running left it.
    table.items.set(key, {
      id: { S: key },
      status: { S: 'INPROGRESS' },
      expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
      in_progress_expiration: { N: String(Date.now() + 60_000) },
    });

    // Act
    const { error } = await invoke(payload(structuredClone(event)));

    // Assert
    expect(error).toEqual(expect.objectContaining({ name: 'IdempotencyAlreadyInProgressError' }));
  });

  it('answers a redelivery started as another execution with status duplicate', async () => {
    // Arrange
    const first = executionArn('first');
    const event = loadSampleEvent('order-needs-approval', 'evt-700');
    const firstRun = await invoke(payload(event, 'first'));

    // Act
    const retry = await invoke(payload(structuredClone(event), 'first'));
    const secondRun = await invoke(payload(structuredClone(event), 'second'));

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
