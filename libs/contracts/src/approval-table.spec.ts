import { APPROVAL_ID_PATTERN, deriveApprovalId } from './approval-table';

describe('deriveApprovalId', () => {
  const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-1';

  it('derives the same id from the same execution', async () => {
    // Act
    const first = await deriveApprovalId(executionId);
    const second = await deriveApprovalId(executionId);
    // Assert
    expect(first).toBe(second);
    expect(first).toMatch(APPROVAL_ID_PATTERN);
  });

  it('derives the SHA-256 prefix of the execution ARN', async () => {
    // Act
    const id = await deriveApprovalId('x');
    // Assert
    expect(id).toBe('apr_2d711642b726b04401627ca9fbac32f5');
  });

  it('derives different ids for different executions', async () => {
    // Act
    const other = await deriveApprovalId(`${executionId}-2`);
    // Assert
    expect(other).not.toBe(await deriveApprovalId(executionId));
  });
});
