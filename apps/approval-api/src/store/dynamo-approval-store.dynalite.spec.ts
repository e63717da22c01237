import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type ApprovalRecord, ApprovalItemKeys, type RecordedDecision } from '@flow/contracts';
import { startApprovalsTable, type DynaliteTable } from '@flow/testing';
import { APPROVAL_ID, pendingApproval, TASK_TOKEN } from '../test-support/fixtures';
import { InvalidCursorError } from './approval-store';
import { DynamoApprovalStore } from './dynamo-approval-store';

/**
 * The store's expressions against a real DynamoDB implementation (dynalite, in memory, on 127.0.0.1): the
 * conditions, the index moves and the projections are what the unit tests with mocks cannot prove.
 */

let table: DynaliteTable;
let store: DynamoApprovalStore;
let sequence = 0;

beforeAll(async () => {
  table = await startApprovalsTable();
});

afterAll(async () => {
  await table.close();
});

/** Seeds an approval + token exactly as approval-dispatcher writes them, under a fresh id. */
const seed = async (overrides: Partial<ApprovalRecord> = {}): Promise<ApprovalRecord> => {
  sequence += 1;
  const approval = pendingApproval({
    approvalId: `apr_${String(sequence).padStart(32, '0')}`,
    orderId: `o-${sequence}`,
    ...overrides,
  });
  await table.documents.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...ApprovalItemKeys.approval(approval.approvalId),
        ...ApprovalItemKeys.byStatus(approval.status, approval.requestedAt, approval.approvalId),
        type: 'approval',
        requestedEventPublished: true,
        ...approval,
      },
    }),
  );
  await table.documents.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...ApprovalItemKeys.token(approval.approvalId), type: 'task-token', taskToken: TASK_TOKEN },
    }),
  );
  return approval;
};

const decisionBy = (approver: string, decision: 'approve' | 'reject' = 'approve'): RecordedDecision => ({
  decision,
  approver,
  comment: `by ${approver}`,
  decidedAt: '2026-11-24T10:00:00.000Z',
  channel: 'http',
});

beforeEach(() => {
  store = new DynamoApprovalStore(table.documents, table.tableName);
});

describe('DynamoApprovalStore on dynalite', () => {
  it('returns the approval without storage attributes and the token only through getTaskToken', async () => {
    // Arrange
    const approval = await seed();
    // Act
    const read = await store.get(approval.approvalId);
    const token = await store.getTaskToken(approval.approvalId);
    // Assert
    expect(read).toStrictEqual(approval);
    expect(token).toBe(TASK_TOKEN);
    expect(await store.get(APPROVAL_ID.replace('0123', 'ffff'))).toBeUndefined();
  });

  it('lets exactly one of 20 concurrent decisions win and moves the approval in the status index', async () => {
    // Arrange
    const approval = await seed();
    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        store.recordDecision(approval.approvalId, decisionBy(`approver-${n}`)),
      ),
    );
    // Assert
    const winners = results.filter((result) => result !== undefined);
    expect(winners).toHaveLength(1);
    expect(await store.get(approval.approvalId)).toStrictEqual(winners[0]);
    const approved = await store.listByStatus('approved', { limit: 100 });
    expect(approved.items.map((item) => item.approvalId)).toContain(approval.approvalId);
    const pending = await store.listByStatus('pending', { limit: 100 });
    expect(pending.items.map((item) => item.approvalId)).not.toContain(approval.approvalId);
  });

  it('reverts only its own decision', async () => {
    // Arrange
    const approval = await seed();
    const mine = decisionBy('alice');
    await store.recordDecision(approval.approvalId, mine);
    // Act
    await store.revertDecision(approval.approvalId, decisionBy('bob'));
    const afterForeignRevert = await store.get(approval.approvalId);
    await store.revertDecision(approval.approvalId, mine);
    // Assert
    expect(afterForeignRevert?.status).toBe('approved');
    expect(await store.get(approval.approvalId)).toStrictEqual(approval);
  });

  it('expires from the expected status only, dropping a decision the workflow never received', async () => {
    // Arrange
    const approval = await seed();
    await store.recordDecision(approval.approvalId, decisionBy('alice'));
    // Act
    const fromPending = await store.markExpired(approval.approvalId, 'pending', '2026-11-24T10:01:00.000Z');
    const fromApproved = await store.markExpired(approval.approvalId, 'approved', '2026-11-24T10:01:00.000Z');
    // Assert
    expect(fromPending).toBeUndefined();
    expect(fromApproved).toStrictEqual({
      ...approval,
      status: 'expired',
      expiredAt: '2026-11-24T10:01:00.000Z',
    });
  });

  it('records heartbeats of pending approvals only', async () => {
    // Arrange
    const approval = await seed();
    const decided = await seed();
    await store.recordDecision(decided.approvalId, decisionBy('alice'));
    // Act
    const beat = await store.recordHeartbeat(approval.approvalId, '2026-11-24T10:02:00.000Z');
    const refused = await store.recordHeartbeat(decided.approvalId, '2026-11-24T10:02:00.000Z');
    // Assert
    expect(beat).toStrictEqual({ ...approval, lastHeartbeatAt: '2026-11-24T10:02:00.000Z' });
    expect(refused).toBeUndefined();
  });

  it('pages through approvals by status with an opaque cursor', async () => {
    // Arrange
    const status = 'rejected';
    for (let n = 0; n < 3; n += 1) {
      const approval = await seed({ requestedAt: `2026-11-2${n}T00:00:00.000Z` });
      await store.recordDecision(approval.approvalId, decisionBy('bob', 'reject'));
    }
    // Act
    const first = await store.listByStatus(status, { limit: 2 });
    const second = await store.listByStatus(status, {
      limit: 2,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });
    // Assert
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(second.items.length).toBeGreaterThanOrEqual(1);
    const ids = [...first.items, ...second.items].map((item) => item.approvalId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails when the cursor was not issued by the store', async () => {
    // Act
    const attempt = store.listByStatus('pending', { limit: 2, cursor: 'bm90IGEgY3Vyc29y' });
    // Assert
    await expect(attempt).rejects.toThrow(InvalidCursorError);
  });

  it('keeps the audit trail per approval and per order, oldest first', async () => {
    // Arrange
    const approval = await seed();
    const base = { approvalId: approval.approvalId, orderId: approval.orderId };
    // Act
    await store.appendAudit({
      ...base,
      at: '2026-11-24T10:05:00.000Z',
      action: 'decided',
      actor: 'alice',
      decision: 'approve',
      comment: '',
    });
    await store.appendAudit({ ...base, at: '2026-11-24T10:01:00.000Z', action: 'heartbeat', actor: 'dave' });
    const byApproval = await store.auditOfApproval(approval.approvalId);
    const byOrder = await store.auditOfOrder(approval.orderId);
    // Assert
    expect(byApproval.map((entry) => entry.action)).toStrictEqual(['heartbeat', 'decided']);
    expect(byOrder).toStrictEqual(byApproval);
  });

  it('keeps rejected events, newest first', async () => {
    // Arrange
    const event = { id: 'evt-1', source: 'com.evil', detail: { taskToken: '[REDACTED]' } };
    // Act
    await store.keepRejectedEvent({
      eventId: 'evt-1',
      source: 'com.evil',
      detailType: 'ApprovalDecision',
      receivedAt: '2026-11-24T10:00:00.000Z',
      reason: 'untrusted source com.evil',
      event,
    });
    const kept = await store.listRejectedEvents(10);
    // Assert
    expect(kept).toStrictEqual([
      {
        eventId: 'evt-1',
        source: 'com.evil',
        detailType: 'ApprovalDecision',
        receivedAt: '2026-11-24T10:00:00.000Z',
        reason: 'untrusted source com.evil',
        event,
      },
    ]);
  });

  it('never lets the status index carry a task token', async () => {
    // Arrange
    await seed();
    // Act
    const { Items = [] } = await table.documents.send(
      new ScanCommand({ TableName: table.tableName, IndexName: 'gsi1' }),
    );
    // Assert
    expect(Items.length).toBeGreaterThan(0);
    expect(JSON.stringify(Items)).not.toContain(TASK_TOKEN);
  });
});
