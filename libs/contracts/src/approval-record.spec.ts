import { ApprovalRecordSchema, ApprovalRequestedDetailSchema } from './approval-record';

const record = {
  approvalId: 'apr_1',
  orderId: 'o-1',
  executionId: 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-1',
  amount: 1200,
  currency: 'EUR',
  reasons: ['amount over 1000'],
  requestedBy: 'carol',
  requestedAt: '2026-11-24T10:00:00.000Z',
  expiresAt: '2026-12-01T10:00:00.000Z',
  status: 'pending',
};

describe('ApprovalRecordSchema', () => {
  it('accepts a pending approval', () => {
    // Act
    const parsed = ApprovalRecordSchema.parse(record);
    // Assert
    expect(parsed).toStrictEqual(record);
  });

  it('fails when a task token is smuggled into the record', () => {
    // Act
    const result = ApprovalRecordSchema.safeParse({ ...record, taskToken: 'secret' });
    // Assert
    expect(result.success).toBe(false);
  });
});

describe('ApprovalRequestedDetailSchema', () => {
  it('fails when the event detail carries a task token', () => {
    // Arrange
    const { status: _status, ...detail } = record;
    // Act
    const result = ApprovalRequestedDetailSchema.safeParse({ ...detail, taskToken: 'secret' });
    // Assert
    expect(result.error?.issues.map((issue) => issue.code)).toStrictEqual(['unrecognized_keys']);
  });
});
