import { type PricedOrder, ScoreRiskOutputSchema } from '@flow/contracts';
import { captureOutput, createLambdaContext, parseJsonLines } from '@flow/testing';
import { handler } from './handler';

const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:run-1';
const order: PricedOrder = {
  orderId: 'ord-7',
  customerId: 'cust-1',
  requestedBy: 'carol',
  submittedAt: '2026-11-24T09:30:00Z',
  currency: 'EUR',
  currencyDigits: 2,
  lines: [{ sku: 'BOOK-001', quantity: 2, unitPrice: 19.9, lineTotal: 39.8 }],
  totals: { itemCount: 2, subtotal: 39.8, total: 39.8 },
  shippingAddress: { name: 'Ada', line1: '1 Row', city: 'London', postalCode: 'EC1', country: 'XX' },
  customerHistory: { previousOrders: 3, chargebacks: 0, accountCreatedAt: '2023-02-01T00:00:00Z' },
};

describe('score-risk handler', () => {
  it('scores the order with the configured country list and logs with correlation keys', async () => {
    // Arrange
    let result: unknown;

    // Act
    const lines = await captureOutput(async () => {
      result = await handler({ order, executionId }, createLambdaContext({ functionName: 'score-risk' }));
    });

    // Assert
    expect(result).toStrictEqual({
      score: 20,
      level: 'low',
      reasons: [{ code: 'ELEVATED_RISK_COUNTRY', points: 20, detail: 'ships to XX, a country under review' }],
    });
    expect(ScoreRiskOutputSchema.safeParse(result).success).toBe(true);
    const logs = parseJsonLines(lines);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'risk scored',
        riskLevel: 'low',
        score: 20,
        orderId: 'ord-7',
        executionId,
        service: 'score-risk',
      }),
    );
    // Nothing at WARN or above: e.g. no "reserved key ... dropped" from an attribute named like a Logger key.
    expect(logs.filter((log) => log['level'] !== 'INFO')).toStrictEqual([]);
  });

  it('fails with InvalidTaskInputError naming the missing field', async () => {
    // Act
    let thrown: unknown;
    await captureOutput(async () => {
      thrown = await handler({ executionId }, createLambdaContext()).catch((error: unknown) => error);
    });

    // Assert
    expect(thrown).toEqual(
      expect.objectContaining({
        name: 'InvalidTaskInputError',
        message:
          'ScoreRisk expects { order, executionId? }: 1 validation error: order: Invalid input: expected object, received undefined',
      }),
    );
  });
});
