import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type ApprovalRequestedDetail, type ApprovalRequestMessage, deriveApprovalId } from '@flow/contracts';
import { DynamoRequestStore } from './dynamo-request-store';
import type { ApprovalEventPublisher } from './ports';
import { approvalFromRequest, recordApprovalRequest } from './record-request';
import { startApprovalsTable, type DynaliteTable } from '@flow/testing';

/** Idempotency of the dispatcher against a real DynamoDB implementation (dynalite, in memory, on 127.0.0.1). */

let table: DynaliteTable;

beforeAll(async () => {
  table = await startApprovalsTable();
});

afterAll(async () => {
  await table.close();
});

class RecordingPublisher implements ApprovalEventPublisher {
  readonly published: ApprovalRequestedDetail[] = [];
  async publishApprovalRequested(detail: ApprovalRequestedDetail): Promise<void> {
    this.published.push(detail);
  }
}

const message = (orderId: string): ApprovalRequestMessage => ({
  taskToken: `token-of-${orderId}-AQCEAAAAKgAAAAMAAAAA`,
  orderId,
  executionId: `arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:${orderId}`,
  amount: 1500,
  currency: 'USD',
  reasons: ['amount over 1000'],
  requestedBy: 'carol',
  requestedAt: '2026-11-24T09:00:00.000Z',
});

const itemsOf = async (approvalId: string) => {
  const { Items = [] } = await table.documents.send(new ScanCommand({ TableName: table.tableName }));
  return Items.filter((item) => String(item['pk']).endsWith(approvalId));
};

describe('recordApprovalRequest on dynalite', () => {
  it('records a message delivered three times (twice concurrently) as one approval, token and audit entry', async () => {
    // Arrange
    const store = new DynamoRequestStore(table.documents, table.tableName);
    const publisher = new RecordingPublisher();
    const request = message('o-dyn-1');
    const approvalId = await deriveApprovalId(request.executionId);
    // Act
    const results = await Promise.all([
      recordApprovalRequest(request, { store, publisher }),
      recordApprovalRequest(request, { store, publisher }),
    ]);
    const third = await recordApprovalRequest(request, { store, publisher });
    // Assert
    expect(results.map((result) => result.created).sort()).toStrictEqual([false, true]);
    expect(third).toStrictEqual({ approvalId, created: false, published: false });
    const items = await itemsOf(approvalId);
    expect(items.map((item) => item['sk']).sort()).toStrictEqual([
      'APPROVAL',
      'AUDIT#2026-11-24T09:00:00.000Z#requested',
      'TOKEN',
    ]);
    const { status: _status, ...detail } = approvalFromRequest(request, approvalId);
    expect(publisher.published[0]).toStrictEqual(detail);
  });

  it('keeps the token out of the approval item and out of the index', async () => {
    // Arrange
    const store = new DynamoRequestStore(table.documents, table.tableName);
    const request = message('o-dyn-2');
    // Act
    await recordApprovalRequest(request, { store, publisher: new RecordingPublisher() });
    // Assert
    const { Items = [] } = await table.documents.send(
      new ScanCommand({ TableName: table.tableName, IndexName: 'gsi1' }),
    );
    expect(JSON.stringify(Items)).not.toContain(request.taskToken);
    const approval = (await itemsOf(await deriveApprovalId(request.executionId))).find(
      (item) => item['sk'] === 'APPROVAL',
    );
    expect(JSON.stringify(approval)).not.toContain(request.taskToken);
  });
});
