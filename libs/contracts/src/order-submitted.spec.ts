import { executionArn, validOrderDetail } from './__fixtures__/orders';
import { DetailTypes, EventSources } from './names';
import { OrderSubmittedDetailSchema, OrderSubmittedEventSchema } from './order-submitted';
import { toFieldErrors } from './validation';

const issuesOf = (detail: unknown) => {
  const result = OrderSubmittedDetailSchema.safeParse(detail);
  if (result.success) throw new Error('expected the detail to be invalid');
  return toFieldErrors(result.error);
};

describe('OrderSubmittedDetailSchema', () => {
  it('accepts a complete order and keeps every field', () => {
    // Arrange
    const detail = {
      ...structuredClone(validOrderDetail),
      customerHistory: { previousOrders: 3, chargebacks: 0, accountCreatedAt: '2024-01-01T00:00:00+01:00' },
      channel: 'mobile',
    };

    // Act
    const parsed = OrderSubmittedDetailSchema.parse(detail);

    // Assert
    expect(parsed).toStrictEqual(detail);
  });

  it('accepts a lower-case currency code (ProcessTask normalises it)', () => {
    // Arrange
    const detail = { ...structuredClone(validOrderDetail), currency: 'eur' };

    // Act
    const result = OrderSubmittedDetailSchema.safeParse(detail);

    // Assert
    expect(result.success).toBe(true);
  });

  it('fails when the order has no lines', () => {
    // Arrange
    const detail = { ...structuredClone(validOrderDetail), lines: [] };

    // Act
    const errors = issuesOf(detail);

    // Assert
    expect(errors).toStrictEqual([{ path: 'lines', message: 'must contain at least one line' }]);
  });

  it('fails with the field path of every wrong field', () => {
    // Arrange
    const detail = structuredClone(validOrderDetail) as Record<string, unknown>;
    detail['currency'] = 'EURO';
    detail['lines'] = [{ sku: 'BOOK-001', quantity: 0, unitPrice: -1 }];
    delete detail['requestedBy'];

    // Act
    const errors = issuesOf(detail);

    // Assert
    expect(errors).toStrictEqual([
      { path: 'requestedBy', message: 'Invalid input: expected string, received undefined' },
      { path: 'currency', message: 'must be a 3-letter ISO 4217 currency code' },
      { path: 'lines.0.quantity', message: 'must be at least 1' },
      { path: 'lines.0.unitPrice', message: 'Too small: expected number to be >=0' },
    ]);
  });

  it('fails when a quantity is fractional or the country is not an ISO code', () => {
    // Arrange
    const detail = structuredClone(validOrderDetail);
    const [firstLine] = detail.lines;
    if (firstLine === undefined) throw new Error('fixture has lines');
    firstLine.quantity = 1.5;
    detail.shippingAddress.country = 'Germany';

    // Act
    const errors = issuesOf(detail);

    // Assert
    expect(errors).toStrictEqual([
      { path: 'lines.0.quantity', message: 'must be a whole number' },
      { path: 'shippingAddress.country', message: 'must be a 2-letter upper-case ISO 3166-1 country code' },
    ]);
  });
});

describe('OrderSubmittedEventSchema', () => {
  const event = {
    version: '0',
    id: 'evt-1',
    'detail-type': DetailTypes.OrderSubmitted,
    source: EventSources.Orders,
    account: '000000000000',
    time: '2026-11-24T09:30:01Z',
    region: 'us-east-1',
    resources: [executionArn],
    detail: validOrderDetail,
  };

  it('accepts the event as the rule delivers it', () => {
    // Act
    const parsed = OrderSubmittedEventSchema.parse(structuredClone(event));

    // Assert
    expect(parsed).toStrictEqual(event);
  });

  it('fails when the event comes from another source', () => {
    // Act
    const result = OrderSubmittedEventSchema.safeParse({
      ...structuredClone(event),
      source: 'com.example.other',
    });

    // Assert
    expect(result.success).toBe(false);
  });
});
