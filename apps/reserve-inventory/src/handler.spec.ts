import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type PricedOrder,
  ReleaseInventoryOutputSchema,
  ReserveInventoryOutputSchema,
} from '@flow/contracts';
import { captureOutput, createLambdaContext, parseJsonLines } from '@flow/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from './handler';

const ddb = mockClient(DynamoDBDocumentClient);
const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:run-1';
const order: PricedOrder = {
  orderId: 'ord-1',
  customerId: 'cust-1',
  requestedBy: 'carol',
  submittedAt: '2026-11-24T09:30:00Z',
  currency: 'EUR',
  currencyDigits: 2,
  lines: [{ sku: 'BOOK-001', quantity: 2, unitPrice: 19.9, lineTotal: 39.8 }],
  totals: { itemCount: 2, subtotal: 39.8, total: 39.8 },
  shippingAddress: { name: 'Ada', line1: '1 Row', city: 'London', postalCode: 'EC1', country: 'GB' },
};

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

const invoke = async (event: unknown) => {
  let outcome: { result?: unknown; error?: unknown } = {};
  const lines = await captureOutput(async () => {
    outcome = await handler(event, createLambdaContext({ functionName: 'reserve-inventory' })).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
  });
  return { ...outcome, logs: parseJsonLines(lines) };
};

describe('reserve-inventory handler', () => {
  it('reserves the order in one transaction on the configured table and logs with correlation keys', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const { result, logs } = await invoke({ action: 'reserve', order, executionId });

    // Assert
    expect(ReserveInventoryOutputSchema.parse(result)).toMatchObject({
      status: 'reserved',
      reservationId: 'RESERVATION#ord-1',
      items: [{ sku: 'BOOK-001', quantity: 2 }],
    });
    expect(ddb.calls()).toHaveLength(1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(items?.map((item) => item.Put?.Item?.['pk'] ?? item.Update?.Key?.['pk'])).toStrictEqual([
      'RESERVATION#ord-1',
      'SKU#BOOK-001',
    ]);
    expect(items?.[0]?.Put).toMatchObject({
      TableName: 'inventory',
      Item: { pk: 'RESERVATION#ord-1', status: 'reserved', executionId },
    });
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'inventory reserved', orderId: 'ord-1', executionId }),
    );
  });

  it('releases a held reservation with one read and one transaction', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'RESERVATION#ord-1',
        orderId: 'ord-1',
        status: 'reserved',
        items: [{ sku: 'BOOK-001', quantity: 2 }],
        reservedAt: '2026-11-24T09:30:02.000Z',
      },
    });
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const { result } = await invoke({ action: 'release', orderId: 'ord-1', reason: 'rejected', executionId });

    // Assert
    expect(ReleaseInventoryOutputSchema.parse(result)).toStrictEqual({
      status: 'released',
      orderId: 'ord-1',
      items: [{ sku: 'BOOK-001', quantity: 2 }],
    });
    expect(ddb.calls()).toHaveLength(2);
  });

  it('fails with OutOfStockError when the stock condition fails', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [
          { Code: 'None' },
          {
            Code: 'ConditionalCheckFailed',
            Message: 'The conditional request failed',
            Item: { pk: { S: 'SKU#BOOK-001' }, sku: { S: 'BOOK-001' }, available: { N: '0' } },
          },
        ],
      }),
    );

    // Act
    const { error } = await invoke({ action: 'reserve', order });

    // Assert
    expect(error).toEqual(
      expect.objectContaining({
        name: 'OutOfStockError',
        message: 'Not enough stock for order ord-1: BOOK-001 (0 available, 2 requested)',
      }),
    );
    expect(ddb.calls()).toHaveLength(1);
  });

  it('fails with the retryable TransientDependencyError when the transaction conflicts', async () => {
    // Arrange
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message:
          'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, None]',
        $metadata: { httpStatusCode: 400 },
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );

    // Act
    const { error } = await invoke({ action: 'reserve', order });

    // Assert
    expect(error).toEqual(expect.objectContaining({ name: 'TransientDependencyError' }));
  });

  it('fails with the retryable TransientDependencyError when DynamoDB throttles', async () => {
    // Arrange
    ddb.on(GetCommand).rejects(
      Object.assign(new Error('Throughput exceeds the current capacity'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const { error } = await invoke({ action: 'release', orderId: 'ord-1', reason: 'expired' });

    // Assert
    expect(error).toEqual(expect.objectContaining({ name: 'TransientDependencyError' }));
  });

  it('fails with InvalidTaskInputError when the action is missing', async () => {
    // Act
    const { error } = await invoke({ order });

    // Assert
    expect(error).toEqual(
      expect.objectContaining({
        name: 'InvalidTaskInputError',
        message:
          "reserve-inventory expects { action: 'reserve', order } or { action: 'release', orderId, reason }: 1 validation error: action: Invalid discriminator value. Expected 'reserve' | 'release'",
      }),
    );
    expect(ddb.calls()).toHaveLength(0);
  });
});
