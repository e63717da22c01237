import { keepPendingApprovalsAlive } from './keepalive';
import { TaskTokenExpiredError, TaskTokenNotFoundError, type TaskTokenClient } from './task-token-client';
import { InMemoryApprovalStore } from './test-support/in-memory-approval-store';
import { now, pendingApproval } from './test-support/fixtures';

/** Answers SendTaskHeartbeat per token: the workflows of `gone` tokens no longer wait, `broken` ones fail. */
class ScriptedTokens implements TaskTokenClient {
  readonly heartbeats: string[] = [];
  constructor(private readonly script: Record<string, Error> = {}) {}
  async complete(): Promise<void> {
    throw new Error('a keepalive never completes a task');
  }
  async fail(): Promise<void> {
    throw new Error('a keepalive never fails a task');
  }
  async heartbeat(taskToken: string): Promise<void> {
    this.heartbeats.push(taskToken);
    const error = this.script[taskToken];
    if (error !== undefined) throw error;
  }
}

const approval = (n: number, overrides: Parameters<typeof pendingApproval>[0] = {}) =>
  pendingApproval({
    approvalId: `apr_${String(n).padStart(32, '0')}`,
    orderId: `o-${n}`,
    requestedAt: `2026-11-24T09:00:${String(n).padStart(2, '0')}.000Z`,
    ...overrides,
  });

describe('keepPendingApprovalsAlive', () => {
  it('heartbeats every pending approval across pages and records when', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    for (let n = 1; n <= 5; n += 1) store.add(approval(n), `token-${n}`);
    store.add(approval(6, { status: 'approved' }), 'token-6');
    const tokens = new ScriptedTokens();

    // Act
    const summary = await keepPendingApprovalsAlive({ store, tokens, now }, { pageSize: 2, concurrency: 2 });

    // Assert
    expect(summary).toStrictEqual({ pending: 5, heartbeats: 5, expired: 0, failed: [] });
    expect([...tokens.heartbeats].sort()).toStrictEqual([
      'token-1',
      'token-2',
      'token-3',
      'token-4',
      'token-5',
    ]);
    expect((await store.get(approval(3).approvalId))?.lastHeartbeatAt).toBe('2026-11-24T10:00:00.000Z');
    expect((await store.get(approval(6).approvalId))?.lastHeartbeatAt).toBeUndefined();
    expect(store.audit).toStrictEqual([]);
  });

  it('expires a pending approval whose workflow no longer waits, with the reason in the audit trail', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    store.add(approval(1), 'token-1');
    store.add(approval(2), 'token-2');
    store.add(approval(3), 'token-3');
    const tokens = new ScriptedTokens({
      'token-2': new TaskTokenExpiredError('SendTaskHeartbeat: the task timed out or was already closed'),
      'token-3': new TaskTokenNotFoundError('SendTaskHeartbeat: the workflow has no task for this token'),
    });

    // Act
    const summary = await keepPendingApprovalsAlive({ store, tokens, now });

    // Assert
    expect(summary).toStrictEqual({ pending: 3, heartbeats: 1, expired: 2, failed: [] });
    expect((await store.get(approval(1).approvalId))?.status).toBe('pending');
    expect((await store.get(approval(2).approvalId))?.status).toBe('expired');
    expect(store.audit).toStrictEqual([
      {
        approvalId: approval(2).approvalId,
        orderId: 'o-2',
        at: '2026-11-24T10:00:00.000Z',
        action: 'expired',
        actor: 'system',
        note: 'keepalive: the workflow no longer waits (TaskTokenExpiredError)',
      },
      {
        approvalId: approval(3).approvalId,
        orderId: 'o-3',
        at: '2026-11-24T10:00:00.000Z',
        action: 'expired',
        actor: 'system',
        note: 'keepalive: the workflow no longer waits (TaskTokenNotFoundError)',
      },
    ]);
  });

  it('fails an approval without a token or with a transient error, and still keeps the others alive', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    store.add(approval(1), 'token-1');
    store.add(approval(2), 'token-2');
    store.add(approval(3), 'token-3');
    store.tokens.delete(approval(3).approvalId);
    const tokens = new ScriptedTokens({ 'token-1': new Error('socket hang up') });

    // Act
    const summary = await keepPendingApprovalsAlive({ store, tokens, now });

    // Assert: nothing expired on a transient error; the next round retries
    expect(summary).toStrictEqual({
      pending: 3,
      heartbeats: 1,
      expired: 0,
      failed: [
        { approvalId: approval(1).approvalId, reason: 'Error: socket hang up' },
        { approvalId: approval(3).approvalId, reason: 'no task token stored for this approval' },
      ],
    });
    expect((await store.get(approval(1).approvalId))?.status).toBe('pending');
    expect(tokens.heartbeats).toStrictEqual(['token-1', 'token-2']);
  });

  it('does nothing when no approval is pending', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    const tokens = new ScriptedTokens();

    // Act
    const summary = await keepPendingApprovalsAlive({ store, tokens, now });

    // Assert
    expect(summary).toStrictEqual({ pending: 0, heartbeats: 0, expired: 0, failed: [] });
    expect(tokens.heartbeats).toStrictEqual([]);
  });
});
