import { OrderSubmittedSchema } from './order-submitted';

describe('OrderSubmittedSchema', () => {
  it('rejects an order without lines', () => {
    // Act
    const result = OrderSubmittedSchema.safeParse({
      orderId: 'o-1',
      customerId: 'c-1',
      currency: 'EUR',
      lines: [],
    });
    // Assert
    expect(result.success).toBe(false);
  });
});
