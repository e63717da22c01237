import type { ApprovalRecord } from '@flow/contracts';
import type { Actor } from '../actor';
import type { TaskTokenClient } from '../task-token-client';

/** A fixed clock: 2026-11-24T10:00:00Z, one hour after the approval below was requested. */
export const NOW = new Date('2026-11-24T10:00:00.000Z');
export const now = (): Date => NOW;

export const APPROVAL_ID = 'apr_0123456789abcdef0123456789abcdef';
export const TASK_TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAUf0secret-task-token-of-the-wait';

/** A pending approval requested by carol. */
export const pendingApproval = (overrides: Partial<ApprovalRecord> = {}): ApprovalRecord => ({
  approvalId: APPROVAL_ID,
  orderId: 'o-1001',
  executionId: 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-1001',
  amount: 2500,
  currency: 'EUR',
  reasons: ['amount over 1000'],
  requestedBy: 'carol',
  requestedAt: '2026-11-24T09:00:00.000Z',
  expiresAt: '2026-12-01T09:00:00.000Z',
  status: 'pending',
  ...overrides,
});

const person = (id: string, roles: string[]): Actor => ({ id, identities: [id], roles, channel: 'http' });
export const alice = person('alice', ['approver']);
export const bob = person('bob', ['approver']);
export const carol = person('carol', ['requester']);
export const carolAsApprover = person('carol', ['approver', 'requester']);
export const dave = person('dave', ['reviewer']);

/** A {@link TaskTokenClient} that records calls; `failWith` makes every call throw. */
export class RecordingTaskTokenClient implements TaskTokenClient {
  readonly calls: { operation: 'complete' | 'fail' | 'heartbeat'; taskToken: string; payload?: unknown }[] =
    [];
  failWith: Error | undefined;

  async complete(taskToken: string, output: unknown): Promise<void> {
    this.calls.push({ operation: 'complete', taskToken, payload: output });
    if (this.failWith !== undefined) throw this.failWith;
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    this.calls.push({ operation: 'fail', taskToken, payload: { error, cause } });
    if (this.failWith !== undefined) throw this.failWith;
  }

  async heartbeat(taskToken: string): Promise<void> {
    this.calls.push({ operation: 'heartbeat', taskToken });
    if (this.failWith !== undefined) throw this.failWith;
  }
}
