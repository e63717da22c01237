import {
  APPROVAL_COMMENT_MAX_LENGTH,
  ApprovalDecisionEventDetailSchema,
  ApprovalDecisionOutputSchema,
  DecisionRequestBodySchema,
} from './approval-decision';

describe('DecisionRequestBodySchema', () => {
  it('accepts a decision and defaults the comment', () => {
    // Act
    const parsed = DecisionRequestBodySchema.parse({ decision: 'approve' });
    // Assert
    expect(parsed).toStrictEqual({ decision: 'approve', comment: '' });
  });

  it('fails when the decision is not approve or reject', () => {
    // Act
    const result = DecisionRequestBodySchema.safeParse({ decision: 'maybe', comment: 'hm' });
    // Assert
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toStrictEqual(['decision']);
  });

  it('fails when an unknown field is sent', () => {
    // Act
    const result = DecisionRequestBodySchema.safeParse({ decision: 'reject', coment: 'typo' });
    // Assert
    expect(result.error?.issues.map((issue) => issue.code)).toStrictEqual(['unrecognized_keys']);
  });

  it('fails when the comment is too long', () => {
    // Act
    const result = DecisionRequestBodySchema.safeParse({
      decision: 'reject',
      comment: 'x'.repeat(APPROVAL_COMMENT_MAX_LENGTH + 1),
    });
    // Assert
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toStrictEqual(['comment']);
  });
});

describe('ApprovalDecisionOutputSchema', () => {
  it('accepts a rejection as a regular decision output', () => {
    // Arrange
    const output = {
      approvalId: 'apr_1',
      decision: 'reject',
      approver: 'alice',
      comment: 'too risky',
      decidedAt: '2026-11-24T10:05:00.000Z',
      channel: 'http',
    };
    // Act
    const parsed = ApprovalDecisionOutputSchema.parse(output);
    // Assert
    expect(parsed).toStrictEqual(output);
  });
});

describe('ApprovalDecisionEventDetailSchema', () => {
  it('fails when the approval id is missing', () => {
    // Act
    const result = ApprovalDecisionEventDetailSchema.safeParse({
      decision: 'approve',
      approver: 'credit-bot',
    });
    // Assert
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toStrictEqual(['approvalId']);
  });
});
