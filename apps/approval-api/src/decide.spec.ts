import type { RecordedDecision } from '@flow/contracts';
import { decide } from './decide';
import { TaskTokenExpiredError, TaskTokenNotFoundError } from './task-token-client';
import { InMemoryApprovalStore } from './test-support/in-memory-approval-store';
import {
  alice,
  APPROVAL_ID,
  bob,
  carol,
  carolAsApprover,
  now,
  pendingApproval,
  RecordingTaskTokenClient,
  TASK_TOKEN,
} from './test-support/fixtures';

const setup = () => {
  const store = new InMemoryApprovalStore();
  store.add(pendingApproval(), TASK_TOKEN);
  const tokens = new RecordingTaskTokenClient();
  return { store, tokens, deps: { store, tokens, now } };
};

describe('decide', () => {
  it('approves: records the decision, resumes the workflow with it and audits it', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    // Act
    const outcome = await decide(
      { approvalId: APPROVAL_ID, decision: 'approve', comment: 'fine', actor: alice },
      deps,
    );
    // Assert
    const decision: RecordedDecision = {
      decision: 'approve',
      approver: 'alice',
      comment: 'fine',
      decidedAt: '2026-11-24T10:00:00.000Z',
      channel: 'http',
    };
    expect(outcome).toStrictEqual({
      kind: 'ok',
      approval: pendingApproval({ status: 'approved', decision }),
    });
    expect(tokens.calls).toStrictEqual([
      { operation: 'complete', taskToken: TASK_TOKEN, payload: { approvalId: APPROVAL_ID, ...decision } },
    ]);
    expect(store.audit).toStrictEqual([
      {
        approvalId: APPROVAL_ID,
        orderId: 'o-1001',
        at: '2026-11-24T10:00:00.000Z',
        action: 'decided',
        actor: 'alice',
        decision: 'approve',
        comment: 'fine',
      },
    ]);
  });

  it('rejects as a business outcome: SendTaskSuccess with decision reject, never SendTaskFailure', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    // Act
    const outcome = await decide(
      { approvalId: APPROVAL_ID, decision: 'reject', comment: 'no', actor: bob },
      deps,
    );
    // Assert
    expect(outcome.kind).toBe('ok');
    expect((await store.get(APPROVAL_ID))?.status).toBe('rejected');
    expect(tokens.calls.map((call) => call.operation)).toStrictEqual(['complete']);
    expect(tokens.calls[0]?.payload).toMatchObject({ decision: 'reject', approver: 'bob', comment: 'no' });
  });

  it('lets exactly one of two racing approvers win; the other gets a conflict with the winner', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    // Act
    const outcomes = await Promise.all([
      decide({ approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: alice }, deps),
      decide({ approvalId: APPROVAL_ID, decision: 'reject', comment: '', actor: bob }, deps),
    ]);
    // Assert
    expect(outcomes.map((outcome) => outcome.kind).sort()).toStrictEqual(['conflict', 'ok']);
    const stored = await store.get(APPROVAL_ID);
    const conflict = outcomes.find((outcome) => outcome.kind === 'conflict');
    expect(conflict).toStrictEqual({ kind: 'conflict', approval: stored });
    expect(tokens.calls).toHaveLength(1);
    expect(store.audit.filter((entry) => entry.action === 'decided')).toHaveLength(1);
  });

  it('fails when the approval was already decided: conflict with the current state, workflow untouched', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    await decide({ approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: alice }, deps);
    tokens.calls.length = 0;
    // Act
    const outcome = await decide(
      { approvalId: APPROVAL_ID, decision: 'reject', comment: '', actor: bob },
      deps,
    );
    // Assert
    expect(outcome).toStrictEqual({ kind: 'conflict', approval: await store.get(APPROVAL_ID) });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('fails when the requester decides on their own order (separation of duties)', async () => {
    // Arrange
    const { tokens, deps } = setup();
    // Act
    const outcome = await decide(
      { approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: carolAsApprover },
      deps,
    );
    // Assert
    expect(outcome).toStrictEqual({
      kind: 'forbidden',
      reason: 'the requester of an order may not decide on it',
    });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('fails when the actor lacks the approver role', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const outcome = await decide(
      { approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: carol },
      deps,
    );
    // Assert
    expect(outcome).toStrictEqual({
      kind: 'forbidden',
      reason: 'only the approver role may decide approvals',
    });
  });

  it('fails when the approval does not exist', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const outcome = await decide(
      { approvalId: 'apr_ffffffffffffffffffffffffffffffff', decision: 'approve', comment: '', actor: alice },
      deps,
    );
    // Assert
    expect(outcome).toStrictEqual({ kind: 'not-found', approvalId: 'apr_ffffffffffffffffffffffffffffffff' });
  });

  it.each([
    ['TaskTimedOut', new TaskTokenExpiredError('SendTaskSuccess: the task timed out or was already closed')],
    [
      'TaskDoesNotExist',
      new TaskTokenNotFoundError('SendTaskSuccess: the workflow has no task for this token'),
    ],
  ])(
    'fails when the workflow answers %s: the approval becomes expired (gone) and the audit says why',
    async (_, error) => {
      // Arrange
      const { store, tokens, deps } = setup();
      tokens.failWith = error;
      // Act
      const outcome = await decide(
        { approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: alice },
        deps,
      );
      // Assert
      const expired = pendingApproval({ status: 'expired', expiredAt: '2026-11-24T10:00:00.000Z' });
      expect(outcome).toStrictEqual({ kind: 'gone', approval: expired });
      expect(await store.get(APPROVAL_ID)).toStrictEqual(expired);
      expect(store.audit).toStrictEqual([
        {
          approvalId: APPROVAL_ID,
          orderId: 'o-1001',
          at: '2026-11-24T10:00:00.000Z',
          action: 'expired',
          actor: 'system',
          note: `the workflow no longer waits (${error.name}); the approve by alice was not applied`,
        },
      ]);
    },
  );

  it('fails when the approval is past its expiry: gone without calling the workflow', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    store.add(pendingApproval({ expiresAt: '2026-11-24T09:30:00.000Z' }), TASK_TOKEN);
    const tokens = new RecordingTaskTokenClient();
    // Act
    const outcome = await decide(
      { approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: alice },
      { store, tokens, now },
    );
    // Assert
    expect(outcome.kind).toBe('gone');
    expect(tokens.calls).toStrictEqual([]);
    expect(store.audit.map((entry) => entry.action)).toStrictEqual(['expired']);
  });

  it('fails when the approval was already expired: gone', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    store.add(pendingApproval({ status: 'expired', expiredAt: '2026-11-24T09:45:00.000Z' }), TASK_TOKEN);
    // Act
    const outcome = await decide(
      { approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: alice },
      { store, tokens: new RecordingTaskTokenClient(), now },
    );
    // Assert
    expect(outcome.kind).toBe('gone');
  });

  it('fails when Step Functions is unavailable: the decision is undone so it can be retried', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    tokens.failWith = new Error('ServiceUnavailable');
    // Act
    const attempt = decide({ approvalId: APPROVAL_ID, decision: 'approve', comment: '', actor: alice }, deps);
    // Assert
    await expect(attempt).rejects.toThrow('ServiceUnavailable');
    expect(await store.get(APPROVAL_ID)).toStrictEqual(pendingApproval());
    expect(store.audit).toStrictEqual([]);
  });
});
