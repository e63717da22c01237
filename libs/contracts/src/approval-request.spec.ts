import { ApprovalRequestMessageSchema } from './approval-request';

const validMessage = {
  taskToken: 'AQCEAAAAKgAAAAMAAAAA-token',
  orderId: 'o-1001',
  executionId: 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-1001',
  amount: 2500,
  currency: 'EUR',
  reasons: ['amount over 1000'],
  requestedBy: 'carol',
  requestedAt: '2026-11-24T10:00:00.123Z',
  timeoutSeconds: 604800,
};

describe('ApprovalRequestMessageSchema', () => {
  it('accepts the message AwaitApproval sends', () => {
    // Act
    const parsed = ApprovalRequestMessageSchema.parse(validMessage);
    // Assert
    expect(parsed).toStrictEqual(validMessage);
  });

  it('defaults reasons to an empty list', () => {
    // Arrange
    const { reasons: _reasons, ...withoutReasons } = validMessage;
    // Act
    const parsed = ApprovalRequestMessageSchema.parse(withoutReasons);
    // Assert
    expect(parsed.reasons).toStrictEqual([]);
  });

  it('fails when the task token is missing, naming the field', () => {
    // Arrange
    const { taskToken: _taskToken, ...withoutToken } = validMessage;
    // Act
    const result = ApprovalRequestMessageSchema.safeParse(withoutToken);
    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toStrictEqual(['taskToken']);
  });

  it('fails when requestedAt is not an ISO timestamp', () => {
    // Act
    const result = ApprovalRequestMessageSchema.safeParse({ ...validMessage, requestedAt: 'yesterday' });
    // Assert
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toStrictEqual(['requestedAt']);
  });
});
