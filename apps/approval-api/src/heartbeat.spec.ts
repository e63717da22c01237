import { heartbeat } from './heartbeat';
import { TaskTokenExpiredError } from './task-token-client';
import { InMemoryApprovalStore } from './test-support/in-memory-approval-store';
import {
  alice,
  APPROVAL_ID,
  carol,
  dave,
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

describe('heartbeat', () => {
  it('sends SendTaskHeartbeat for a reviewer and records it in the approval and the audit trail', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    // Act
    const outcome = await heartbeat(
      { approvalId: APPROVAL_ID, note: 'credit check running', actor: dave },
      deps,
    );
    // Assert
    expect(outcome).toStrictEqual({
      kind: 'ok',
      approval: pendingApproval({ lastHeartbeatAt: '2026-11-24T10:00:00.000Z' }),
    });
    expect(tokens.calls).toStrictEqual([{ operation: 'heartbeat', taskToken: TASK_TOKEN }]);
    expect(store.audit).toStrictEqual([
      {
        approvalId: APPROVAL_ID,
        orderId: 'o-1001',
        at: '2026-11-24T10:00:00.000Z',
        action: 'heartbeat',
        actor: 'dave',
        note: 'credit check running',
      },
    ]);
  });

  it('fails when the actor is neither approver nor reviewer', async () => {
    // Arrange
    const { tokens, deps } = setup();
    // Act
    const outcome = await heartbeat({ approvalId: APPROVAL_ID, note: '', actor: carol }, deps);
    // Assert
    expect(outcome).toStrictEqual({
      kind: 'forbidden',
      reason: 'only the approver or reviewer role may send heartbeats',
    });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('fails when the workflow stopped waiting: the approval becomes expired', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    tokens.failWith = new TaskTokenExpiredError(
      'SendTaskHeartbeat: the task timed out or was already closed',
    );
    // Act
    const outcome = await heartbeat({ approvalId: APPROVAL_ID, note: '', actor: alice }, deps);
    // Assert
    expect(outcome).toStrictEqual({
      kind: 'gone',
      approval: pendingApproval({ status: 'expired', expiredAt: '2026-11-24T10:00:00.000Z' }),
    });
    expect(store.audit.map((entry) => [entry.action, entry.note])).toStrictEqual([
      ['expired', 'heartbeat by alice: the workflow no longer waits (TaskTokenExpiredError)'],
    ]);
  });

  it('fails when the approval was already decided: conflict, no heartbeat sent', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    const decided = pendingApproval({
      status: 'approved',
      decision: {
        decision: 'approve',
        approver: 'bob',
        comment: '',
        decidedAt: '2026-11-24T09:30:00.000Z',
        channel: 'http',
      },
    });
    store.add(decided, TASK_TOKEN);
    const tokens = new RecordingTaskTokenClient();
    // Act
    const outcome = await heartbeat(
      { approvalId: APPROVAL_ID, note: '', actor: alice },
      { store, tokens, now },
    );
    // Assert
    expect(outcome).toStrictEqual({ kind: 'conflict', approval: decided });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('fails when the approval does not exist', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const outcome = await heartbeat(
      { approvalId: 'apr_00000000000000000000000000000000', note: '', actor: dave },
      deps,
    );
    // Assert
    expect(outcome).toStrictEqual({ kind: 'not-found', approvalId: 'apr_00000000000000000000000000000000' });
  });
});
