import {
  OrderSubmittedDetailSchema,
  ProcessTaskOutputSchema,
  type OrderSubmittedDetail,
} from '@flow/contracts';
import { loadSampleEvent } from '@flow/testing';
import { processEvent, processOrder, replayResult } from './process-order';

const sampleDetail = (
  name: 'order-auto-approved' | 'order-needs-approval' | 'order-invalid',
): OrderSubmittedDetail => loadSampleEvent(name).detail as OrderSubmittedDetail;

describe('processOrder', () => {
  it('prices a valid order: line totals, subtotal and total in the currency minor unit', () => {
    // Arrange
    const detail = sampleDetail('order-auto-approved');

    // Act
    const output = processOrder(detail, 'evt-1');

    // Assert
    expect(output).toStrictEqual({
      status: 'success',
      eventId: 'evt-1',
      order: {
        orderId: 'ord-1001',
        customerId: 'cust-042',
        requestedBy: 'carol',
        submittedAt: '2026-11-24T09:30:00Z',
        currency: 'EUR',
        currencyDigits: 2,
        lines: [
          { sku: 'BOOK-001', quantity: 2, unitPrice: 19.9, lineTotal: 39.8, description: 'Notebook' },
          { sku: 'PEN-010', quantity: 3, unitPrice: 4.5, lineTotal: 13.5 },
        ],
        totals: { itemCount: 5, subtotal: 53.3, total: 53.3 },
        shippingAddress: detail.shippingAddress,
        customerHistory: { previousOrders: 14, chargebacks: 0, accountCreatedAt: '2023-02-01T00:00:00Z' },
        channel: 'web',
      },
    });
    expect(ProcessTaskOutputSchema.safeParse(output).success).toBe(true);
  });

  it('normalises the currency, merges lines of the same SKU and rounds unit prices to the minor unit', () => {
    // Arrange
    const detail: OrderSubmittedDetail = {
      ...sampleDetail('order-auto-approved'),
      currency: 'jpy',
      lines: [
        { sku: 'TEA-1', quantity: 2, unitPrice: 499.5 },
        { sku: 'CUP-2', quantity: 1, unitPrice: 1200 },
        { sku: 'TEA-1', quantity: 3, unitPrice: 499.5 },
      ],
    };

    // Act
    const output = processOrder(detail, 'evt-2');

    // Assert
    expect(output.status === 'success' && output.order).toMatchObject({
      currency: 'JPY',
      currencyDigits: 0,
      lines: [
        { sku: 'TEA-1', quantity: 5, unitPrice: 500, lineTotal: 2500 },
        { sku: 'CUP-2', quantity: 1, unitPrice: 1200, lineTotal: 1200 },
      ],
      totals: { itemCount: 6, subtotal: 3700, total: 3700 },
    });
  });

  it('totals exactly where floating point would not (0.1 + 0.2)', () => {
    // Arrange
    const detail: OrderSubmittedDetail = {
      ...sampleDetail('order-auto-approved'),
      lines: [
        { sku: 'A', quantity: 1, unitPrice: 0.1 },
        { sku: 'B', quantity: 1, unitPrice: 0.2 },
      ],
    };

    // Act
    const output = processOrder(detail, 'evt-3');

    // Assert
    expect(output.status === 'success' && output.order.totals).toStrictEqual({
      itemCount: 2,
      subtotal: 0.3,
      total: 0.3,
    });
  });

  it('fails with every field path and a one-line cause for the invalid sample', () => {
    // Arrange
    const detail = sampleDetail('order-invalid');

    // Act
    const output = processOrder(detail, 'evt-4');

    // Assert
    expect(output).toStrictEqual({
      status: 'invalid',
      eventId: 'evt-4',
      orderId: 'ord-3001',
      errors: [
        { path: 'currency', message: 'must be a 3-letter ISO 4217 currency code' },
        { path: 'lines.0.quantity', message: 'must be at least 1' },
        { path: 'shippingAddress.postalCode', message: 'Invalid input: expected string, received undefined' },
      ],
      validation: {
        error: 'ValidationError',
        cause:
          '3 validation errors: currency: must be a 3-letter ISO 4217 currency code; lines.0.quantity: must be at least 1; shippingAddress.postalCode: Invalid input: expected string, received undefined',
        eventId: 'evt-4',
        orderId: 'ord-3001',
      },
    });
  });

  it('fails when the currency is well-formed but not an ISO 4217 code', () => {
    // Arrange
    const detail = { ...sampleDetail('order-auto-approved'), currency: 'XYZ' };

    // Act
    const output = processOrder(detail, 'evt-5');

    // Assert
    expect(output.status === 'invalid' && output.errors).toStrictEqual([
      { path: 'currency', message: '"XYZ" is not a known ISO 4217 currency code' },
    ]);
  });

  it('fails when two lines of one SKU disagree on the unit price', () => {
    // Arrange
    const detail: OrderSubmittedDetail = {
      ...sampleDetail('order-auto-approved'),
      lines: [
        { sku: 'A', quantity: 1, unitPrice: 10 },
        { sku: 'A', quantity: 1, unitPrice: 12 },
      ],
    };

    // Act
    const output = processOrder(detail, 'evt-6');

    // Assert
    expect(output.status === 'invalid' && output.errors).toStrictEqual([
      { path: 'lines.1.unitPrice', message: 'differs from the unit price of line 0 for the same SKU "A"' },
    ]);
  });

  it('fails when merged lines exceed the per-SKU quantity limit', () => {
    // Arrange
    const detail: OrderSubmittedDetail = {
      ...sampleDetail('order-auto-approved'),
      lines: [
        { sku: 'A', quantity: 6000, unitPrice: 1 },
        { sku: 'A', quantity: 6000, unitPrice: 1 },
      ],
    };

    // Act
    const output = processOrder(detail, 'evt-7');

    // Assert
    expect(output.status === 'invalid' && output.errors).toStrictEqual([
      { path: 'lines.1.quantity', message: 'brings SKU "A" to 12000 units, more than 10000' },
    ]);
  });

  it('fails without an orderId when the detail is not an object', () => {
    // Act
    const output = processOrder('not an order', 'evt-8');

    // Assert
    expect(output).toStrictEqual({
      status: 'invalid',
      eventId: 'evt-8',
      errors: [{ path: '', message: 'Invalid input: expected object, received string' }],
      validation: {
        error: 'ValidationError',
        cause: '1 validation error: (root): Invalid input: expected object, received string',
        eventId: 'evt-8',
      },
    });
  });

  it('keeps the needs-approval sample valid and over the threshold total', () => {
    // Arrange
    const detail = OrderSubmittedDetailSchema.parse(sampleDetail('order-needs-approval'));

    // Act
    const output = processOrder(detail, 'evt-9');

    // Assert
    expect(output.status === 'success' && output.order.totals).toStrictEqual({
      itemCount: 3,
      subtotal: 2450,
      total: 2450,
    });
  });
});

describe('replayResult', () => {
  const first = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:first';
  const second = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:second';

  it('records the execution that processed the event', () => {
    // Act
    const output = processOrder(sampleDetail('order-auto-approved'), 'evt-10', first);

    // Assert
    expect(output).toMatchObject({ status: 'success', eventId: 'evt-10', executionId: first });
  });

  it('answers another execution with duplicate, naming the first one', () => {
    // Arrange
    const stored = processOrder(sampleDetail('order-auto-approved'), 'evt-11', first);

    // Act
    const replayed = replayResult(stored, second);

    // Assert
    expect(replayed).toStrictEqual({
      status: 'duplicate',
      eventId: 'evt-11',
      orderId: 'ord-1001',
      firstExecutionId: first,
    });
  });

  it('answers a retry of the same execution, or a run without execution ids, with the stored result', () => {
    // Arrange
    const withIds = processOrder(sampleDetail('order-invalid'), 'evt-12', first);
    const withoutIds = processOrder(sampleDetail('order-invalid'), 'evt-13');

    // Act
    const replayed = [
      replayResult(withIds, first),
      replayResult(withoutIds, second),
      replayResult(withIds, undefined),
    ];

    // Assert
    expect(replayed).toStrictEqual([withIds, withoutIds, withIds]);
  });
});

describe('processEvent', () => {
  const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:seed';

  it('prices the order of an OrderSubmitted event, keyed by the event id', () => {
    // Arrange
    const event = loadSampleEvent('order-auto-approved', 'evt-20');

    // Act
    const output = processEvent(event, executionId);

    // Assert
    expect(output).toStrictEqual(processOrder(event.detail, 'evt-20', executionId));
    expect(output.status).toBe('success');
  });

  it('fails with a ValidationError naming every missing envelope field for the seed\'s {"status":"success"}', () => {
    // Act
    const output = processEvent({ status: 'success' }, executionId);

    // Assert
    const cause =
      'input is not an OrderSubmitted event: 9 validation errors: version: required; id: required; detail-type: required; source: required; account: required; time: required; region: required; resources: required; detail: required';
    expect(output).toStrictEqual({
      status: 'invalid',
      executionId,
      errors: [
        'version',
        'id',
        'detail-type',
        'source',
        'account',
        'time',
        'region',
        'resources',
        'detail',
      ].map((path) => ({ path, message: 'required' })),
      validation: { error: 'ValidationError', cause, executionId },
    });
    expect(ProcessTaskOutputSchema.safeParse(output).success).toBe(true);
  });

  it('fails for another event type, keeping the event and order ids for the OrderFailed event', () => {
    // Arrange
    const event = { ...loadSampleEvent('order-auto-approved', 'evt-21'), 'detail-type': 'OrderCancelled' };

    // Act
    const output = processEvent(event, executionId);

    // Assert
    expect(output).toMatchObject({
      status: 'invalid',
      eventId: 'evt-21',
      orderId: 'ord-1001',
      validation: {
        cause:
          'input is not an OrderSubmitted event: 1 validation error: detail-type: Invalid input: expected "OrderSubmitted"',
        eventId: 'evt-21',
        orderId: 'ord-1001',
        executionId,
      },
    });
  });

  it('fails when the input is not an object at all', () => {
    // Act
    const outputs = [processEvent([1, 2]), processEvent(null), processEvent('order')];

    // Assert
    expect(outputs.map((output) => output.status === 'invalid' && output.validation.cause)).toStrictEqual([
      'input is not an OrderSubmitted event: 1 validation error: (root): Invalid input: expected object, received array',
      'input is not an OrderSubmitted event: 1 validation error: (root): Invalid input: expected object, received null',
      'input is not an OrderSubmitted event: 1 validation error: (root): Invalid input: expected object, received string',
    ]);
  });
});
