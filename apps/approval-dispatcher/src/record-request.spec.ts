import type { ApprovalRequestMessage } from '@flow/contracts';
import { expiryOf, reasonsOf } from './record-request';

const message: ApprovalRequestMessage = {
  taskToken: 'token-AQCEAAAAKgAAAAMAAAAA',
  orderId: 'o-1',
  executionId: 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-1',
  amount: 800,
  currency: 'EUR',
  reasons: ['new customer'],
  requestedBy: 'carol',
  requestedAt: '2026-11-24T09:00:00+01:00',
};

describe('expiryOf', () => {
  it('adds the timeout to the request time, in UTC', () => {
    // Act
    const expiresAt = expiryOf({ ...message, timeoutSeconds: 3600 });
    // Assert
    expect(expiresAt).toBe('2026-11-24T09:00:00.000Z');
  });

  it('defaults to the 7-day approval timeout', () => {
    // Act
    const expiresAt = expiryOf(message);
    // Assert
    expect(expiresAt).toBe('2026-12-01T08:00:00.000Z');
  });

  it('prefers an explicit expiresAt', () => {
    // Act
    const expiresAt = expiryOf({ ...message, timeoutSeconds: 60, expiresAt: '2026-11-25T00:00:00Z' });
    // Assert
    expect(expiresAt).toBe('2026-11-25T00:00:00.000Z');
  });
});

describe('reasonsOf', () => {
  it('keeps the workflow reasons of an order under the amount threshold', () => {
    // Act
    const reasons = reasonsOf(message);
    // Assert
    expect(reasons).toStrictEqual(['new customer']);
  });

  it('names the amount first when it is over the threshold', () => {
    // Act
    const reasons = reasonsOf({ ...message, amount: 1000.5, reasons: [] });
    // Assert
    expect(reasons).toStrictEqual(['amount 1000.5 EUR is over the approval threshold of 1000']);
  });
});
