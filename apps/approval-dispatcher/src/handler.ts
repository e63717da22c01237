import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EnvVars } from '@flow/contracts';
import {
  getDocumentClient,
  getEventBridgeClient,
  logger,
  metrics,
  readRequiredEnv,
  registerSecret,
  withObservability,
} from '@flow/observability';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoRequestStore } from './dynamo-request-store';
import { EventBridgePublisher } from './eventbridge-publisher';
import { InvalidApprovalRequestError, parseApprovalRequest } from './parse-request';
import { type RecordRequestDeps, recordApprovalRequest } from './record-request';

/**
 * AWS glue of approval-dispatcher: consumes the approvals queue (event source mapping with
 * `ReportBatchItemFailures`), records each request and announces it. A failed record is reported alone, so only it
 * is redelivered (and ends in the DLQ after `maxReceiveCount`).
 */

const tableName = readRequiredEnv(EnvVars.ApprovalsTableName, 'the approvals table');
const eventBusName = readRequiredEnv(EnvVars.EventBusName, 'the orders event bus');

const deps: RecordRequestDeps = {
  store: new DynamoRequestStore(getDocumentClient(), tableName),
  publisher: new EventBridgePublisher(getEventBridgeClient(), eventBusName),
};

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord): Promise<void> => {
  let message;
  try {
    message = parseApprovalRequest(record.body, registerSecret);
  } catch (error) {
    if (error instanceof InvalidApprovalRequestError) {
      logger.error('invalid approval request; it goes to the DLQ after its retries', {
        messageId: record.messageId,
        fields: error.fields,
      });
    }
    throw error;
  }
  // Keys passed per line (not appendKeys): records are processed concurrently.
  const keys = { messageId: record.messageId, orderId: message.orderId, executionId: message.executionId };
  try {
    const result = await recordApprovalRequest(message, deps);
    metrics.addMetric(
      result.created ? 'ApprovalsRequested' : 'ApprovalRequestsRedelivered',
      MetricUnit.Count,
      1,
    );
    logger.info(result.created ? 'approval recorded' : 'redelivered approval request: already recorded', {
      ...keys,
      approvalId: result.approvalId,
      published: result.published,
    });
  } catch (error) {
    logger.error('approval request not recorded; it will be retried', { ...keys, error });
    throw error;
  }
};

/**
 * SQS event source handler with partial batch responses. A batch whose records all failed is reported as such
 * (`throwOnFullBatchFailure: false`) instead of thrown: the effect is the same (every message is retried), but no
 * raw error reaches the runtime's own log output, only the redacted lines of the Logger.
 */
export const handler = withObservability(
  async (event: SQSEvent, context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false }),
  { correlation: () => ({}) },
);
