import type { PricedOrder } from '@flow/contracts';
import { DEFAULT_RISK_POLICY, parseCountryList, riskLevel, scoreRisk } from './score-risk';

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
  customerHistory: { previousOrders: 14, chargebacks: 0, accountCreatedAt: '2023-02-01T00:00:00Z' },
};
const withTotal = (total: number): PricedOrder => ({
  ...order,
  totals: { ...order.totals, subtotal: total, total },
});

describe('scoreRisk', () => {
  it('scores a small order from an established customer as low risk with no reasons', () => {
    // Act
    const result = scoreRisk(order);

    // Assert
    expect(result).toStrictEqual({ score: 0, level: 'low', reasons: [] });
  });

  it('adds 40 points over the approval threshold and 15 over half of it', () => {
    // Act
    const results = [scoreRisk(withTotal(2450)), scoreRisk(withTotal(600)), scoreRisk(withTotal(1000))];

    // Assert
    expect(results).toStrictEqual([
      {
        score: 40,
        level: 'medium',
        reasons: [
          {
            code: 'AMOUNT_OVER_APPROVAL_THRESHOLD',
            points: 40,
            detail: 'total 2450 EUR is over the approval threshold of 1000',
          },
        ],
      },
      {
        score: 15,
        level: 'low',
        reasons: [
          {
            code: 'AMOUNT_ELEVATED',
            points: 15,
            detail: 'total 600 EUR is over half the approval threshold',
          },
        ],
      },
      {
        score: 15,
        level: 'low',
        reasons: [
          {
            code: 'AMOUNT_ELEVATED',
            points: 15,
            detail: 'total 1000 EUR is over half the approval threshold',
          },
        ],
      },
    ]);
  });

  it('treats a customer without history as new', () => {
    // Arrange
    const { customerHistory: _omitted, ...newCustomerOrder } = order;

    // Act
    const result = scoreRisk(newCustomerOrder);

    // Assert
    expect(result).toStrictEqual({
      score: 20,
      level: 'low',
      reasons: [{ code: 'NEW_CUSTOMER', points: 20, detail: 'first order of this customer' }],
    });
  });

  it('reaches high risk for a young account with chargebacks buying in bulk, capped at 100', () => {
    // Arrange
    const risky: PricedOrder = {
      ...withTotal(1500),
      lines: [{ sku: 'GPU-9', quantity: 60, unitPrice: 25, lineTotal: 1500 }],
      shippingAddress: { ...order.shippingAddress, country: 'XX' },
      customerHistory: { previousOrders: 0, chargebacks: 3, accountCreatedAt: '2026-11-20T00:00:00Z' },
    };

    // Act
    const result = scoreRisk(risky, { ...DEFAULT_RISK_POLICY, elevatedRiskCountries: ['XX'] });

    // Assert
    expect(result).toStrictEqual({
      score: 100,
      level: 'high',
      reasons: [
        {
          code: 'AMOUNT_OVER_APPROVAL_THRESHOLD',
          points: 40,
          detail: 'total 1500 EUR is over the approval threshold of 1000',
        },
        { code: 'NEW_CUSTOMER', points: 20, detail: 'first order of this customer' },
        { code: 'YOUNG_ACCOUNT', points: 15, detail: 'account is 4 days old' },
        { code: 'PRIOR_CHARGEBACKS', points: 50, detail: '3 prior chargebacks' },
        { code: 'BULK_QUANTITY', points: 15, detail: 'bulk quantity of 60 × GPU-9' },
        { code: 'ELEVATED_RISK_COUNTRY', points: 20, detail: 'ships to XX, a country under review' },
      ],
    });
  });
});

describe('riskLevel', () => {
  it('maps scores to levels at the shared thresholds', () => {
    // Act
    const levels = [0, 39, 40, 69, 70, 100].map(riskLevel);

    // Assert
    expect(levels).toStrictEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });
});

describe('parseCountryList', () => {
  it('splits and trims a comma-separated list', () => {
    // Act & Assert
    expect(parseCountryList(' XX, YY ,,')).toStrictEqual(['XX', 'YY']);
    expect(parseCountryList('')).toStrictEqual([]);
  });

  it('fails when an entry is not an ISO country code', () => {
    // Act & Assert
    expect(() => parseCountryList('XX, germany')).toThrow(
      'RISK_ELEVATED_COUNTRIES must list ISO 3166-1 alpha-2 codes; not valid: germany',
    );
  });
});
