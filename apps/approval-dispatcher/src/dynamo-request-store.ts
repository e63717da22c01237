import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ApprovalRecord, ApprovalItemKeys, ApprovalsTable, type AuditEntry } from '@flow/contracts';
import type { ApprovalRequestStore } from './ports';

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

/**
 * {@link ApprovalRequestStore} over the approvals table (layout: `ApprovalsTable` in contracts). The token item
 * has no index keys, so `gsi1` never projects it; the approval item never holds the token.
 */
export class DynamoRequestStore implements ApprovalRequestStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveTaskToken(approvalId: string, taskToken: string): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...ApprovalItemKeys.token(approvalId), type: 'task-token', approvalId, taskToken },
      }),
    );
  }

  async createApproval(approval: ApprovalRecord): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...ApprovalItemKeys.approval(approval.approvalId),
            ...ApprovalItemKeys.byStatus(approval.status, approval.requestedAt, approval.approvalId),
            type: 'approval',
            ...approval,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': ApprovalsTable.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async wasRequestPublished(approvalId: string): Promise<boolean> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: ApprovalItemKeys.approval(approvalId),
        ConsistentRead: true,
        ProjectionExpression: 'requestedEventPublished',
      }),
    );
    return Item?.['requestedEventPublished'] === true;
  }

  async markRequestPublished(approvalId: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: ApprovalItemKeys.approval(approvalId),
        UpdateExpression: 'SET requestedEventPublished = :true',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }

  async auditRequested(entry: AuditEntry): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...ApprovalItemKeys.audit(entry.approvalId, entry.at, 'requested'),
          ...ApprovalItemKeys.byOrder(entry.orderId, entry.at, 'requested'),
          type: 'audit',
          ...entry,
        },
      }),
    );
  }
}
