import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ApprovalRecord,
  ApprovalRecordSchema,
  type ApprovalStatus,
  ApprovalStatusValues,
  ApprovalItemKeys,
  ApprovalsTable,
  type AuditEntry,
  AuditEntrySchema,
  type RecordedDecision,
} from '@flow/contracts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  type ApprovalPage,
  type ApprovalStore,
  InvalidCursorError,
  type RejectedEventRecord,
} from './approval-store';

/** Attributes of an approval item that are storage detail, not part of the approval. */
const STORAGE_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type', 'requestedEventPublished']);

const withoutStorageAttributes = (item: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(item).filter(([key]) => !STORAGE_ATTRIBUTES.has(key)));

/** Items are validated on the way out: a corrupt item fails loudly instead of leaking odd data. */
const toApproval = (item: Record<string, unknown>): ApprovalRecord =>
  ApprovalRecordSchema.parse(withoutStorageAttributes(item));

const toAudit = (item: Record<string, unknown>): AuditEntry =>
  AuditEntrySchema.parse(withoutStorageAttributes(item));

const CursorSchema = z.object({ pk: z.string(), sk: z.string(), gsi1pk: z.string(), gsi1sk: z.string() });

const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

const decodeCursor = (cursor: string): Record<string, string> => {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursorError();
  }
};

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

const RejectedEventItemSchema = z.object({
  eventId: z.string(),
  source: z.string(),
  detailType: z.string(),
  receivedAt: z.string(),
  reason: z.string(),
  event: z.unknown(),
});

/**
 * {@link ApprovalStore} over the approvals table (single-table design, see `ApprovalsTable` in contracts).
 * Works against DynamoDB and against dynalite in the local cloud (no transactions needed).
 */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: ApprovalItemKeys.approval(approvalId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : toApproval(Item);
  }

  async listByStatus(
    status: ApprovalStatus,
    options: { limit: number; cursor?: string },
  ): Promise<ApprovalPage> {
    const { gsi1pk } = ApprovalItemKeys.byStatus(status, '', '');
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: ApprovalsTable.index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': ApprovalsTable.index.partitionKey },
        ExpressionAttributeValues: { ':pk': gsi1pk },
        Limit: options.limit,
        ...(options.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(options.cursor) }),
      }),
    );
    const items = (result.Items ?? []).map(toApproval);
    return result.LastEvaluatedKey === undefined
      ? { items }
      : { items, nextCursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async recordDecision(approvalId: string, decision: RecordedDecision): Promise<ApprovalRecord | undefined> {
    const status =
      decision.decision === 'approve' ? ApprovalStatusValues.Approved : ApprovalStatusValues.Rejected;
    return this.conditionalUpdate(approvalId, {
      UpdateExpression: 'SET #status = :status, #decision = :decision, #gsi1pk = :gsi1pk',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status', '#decision': 'decision', '#gsi1pk': 'gsi1pk' },
      ExpressionAttributeValues: {
        ':status': status,
        ':decision': decision,
        ':pending': ApprovalStatusValues.Pending,
        ':gsi1pk': ApprovalItemKeys.byStatus(status, '', '').gsi1pk,
      },
    });
  }

  async revertDecision(approvalId: string, decision: RecordedDecision): Promise<void> {
    await this.conditionalUpdate(approvalId, {
      UpdateExpression: 'SET #status = :pending, #gsi1pk = :gsi1pk REMOVE #decision',
      ConditionExpression: '#decision.#decidedAt = :decidedAt AND #decision.#approver = :approver',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#decision': 'decision',
        '#decidedAt': 'decidedAt',
        '#approver': 'approver',
        '#gsi1pk': 'gsi1pk',
      },
      ExpressionAttributeValues: {
        ':pending': ApprovalStatusValues.Pending,
        ':decidedAt': decision.decidedAt,
        ':approver': decision.approver,
        ':gsi1pk': ApprovalItemKeys.byStatus(ApprovalStatusValues.Pending, '', '').gsi1pk,
      },
    });
  }

  async markExpired(
    approvalId: string,
    expectedStatus: ApprovalStatus,
    expiredAt: string,
  ): Promise<ApprovalRecord | undefined> {
    return this.conditionalUpdate(approvalId, {
      // A decision the workflow never received is not kept on the approval (the audit trail names it).
      UpdateExpression: 'SET #status = :expired, #expiredAt = :expiredAt, #gsi1pk = :gsi1pk REMOVE #decision',
      ConditionExpression: '#status = :expected',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#expiredAt': 'expiredAt',
        '#gsi1pk': 'gsi1pk',
        '#decision': 'decision',
      },
      ExpressionAttributeValues: {
        ':expired': ApprovalStatusValues.Expired,
        ':expected': expectedStatus,
        ':expiredAt': expiredAt,
        ':gsi1pk': ApprovalItemKeys.byStatus(ApprovalStatusValues.Expired, '', '').gsi1pk,
      },
    });
  }

  async recordHeartbeat(approvalId: string, at: string): Promise<ApprovalRecord | undefined> {
    return this.conditionalUpdate(approvalId, {
      UpdateExpression: 'SET #lastHeartbeatAt = :at',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status', '#lastHeartbeatAt': 'lastHeartbeatAt' },
      ExpressionAttributeValues: { ':at': at, ':pending': ApprovalStatusValues.Pending },
    });
  }

  async getTaskToken(approvalId: string): Promise<string | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: ApprovalItemKeys.token(approvalId),
        ConsistentRead: true,
        ProjectionExpression: 'taskToken',
      }),
    );
    const token: unknown = Item?.['taskToken'];
    return typeof token === 'string' && token.length > 0 ? token : undefined;
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const sequence = randomUUID().slice(0, 8);
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...ApprovalItemKeys.audit(entry.approvalId, entry.at, sequence),
          ...ApprovalItemKeys.byOrder(entry.orderId, entry.at, sequence),
          type: 'audit',
          ...entry,
        },
      }),
    );
  }

  async auditOfApproval(approvalId: string): Promise<AuditEntry[]> {
    const { pk } = ApprovalItemKeys.approval(approvalId);
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': ApprovalsTable.partitionKey, '#sk': ApprovalsTable.sortKey },
      ExpressionAttributeValues: { ':pk': pk, ':prefix': ApprovalItemKeys.auditPrefix },
      ConsistentRead: true,
    });
    return items.map(toAudit);
  }

  async auditOfOrder(orderId: string): Promise<AuditEntry[]> {
    const { gsi1pk } = ApprovalItemKeys.byOrder(orderId, '', '');
    const items = await this.queryAll({
      IndexName: ApprovalsTable.index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: {
        '#pk': ApprovalsTable.index.partitionKey,
        '#sk': ApprovalsTable.index.sortKey,
      },
      ExpressionAttributeValues: { ':pk': gsi1pk, ':prefix': ApprovalItemKeys.auditPrefix },
    });
    return items.map(toAudit);
  }

  async keepRejectedEvent(record: RejectedEventRecord): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...ApprovalItemKeys.rejectedEvent(record.eventId),
          ...ApprovalItemKeys.rejectedEvents(record.receivedAt, record.eventId),
          type: 'rejected-event',
          ...record,
        },
      }),
    );
  }

  async listRejectedEvents(limit: number): Promise<RejectedEventRecord[]> {
    const { gsi1pk } = ApprovalItemKeys.rejectedEvents('', '');
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: ApprovalsTable.index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': ApprovalsTable.index.partitionKey },
        ExpressionAttributeValues: { ':pk': gsi1pk },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => RejectedEventItemSchema.parse(item) as RejectedEventRecord);
  }

  private async conditionalUpdate(
    approvalId: string,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<ApprovalRecord | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ApprovalItemKeys.approval(approvalId),
          ...update,
          ConditionExpression: `attribute_exists(#pkName) AND (${update.ConditionExpression})`,
          ExpressionAttributeNames: {
            ...update.ExpressionAttributeNames,
            '#pkName': ApprovalsTable.partitionKey,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes === undefined ? undefined : toApproval(Attributes);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  private async queryAll(query: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
    ConsistentRead?: boolean;
  }): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          ...query,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }
}
