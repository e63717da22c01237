import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ApprovalRecord } from '@flow/contracts';
import {
  getDocumentClient,
  getSfnClient,
  logger,
  metrics,
  registerSecret,
  withObservability,
} from '@flow/observability';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { type ApprovalEventDeps, handleApprovalEvent } from './approval-events';
import { readJwtConfig, readTableName, readTrustedSources } from './config';
import { type ApiDeps, handleHttpRequest } from './http/api';
import type { HttpRequest, HttpResponse } from './http/http-types';
import { problem } from './http/responses';
import { createTokenVerifier } from './identity';
import { DynamoApprovalStore } from './store/dynamo-approval-store';
import { SfnTaskTokenClient, type TaskTokenClient } from './task-token-client';

/**
 * AWS glue of approval-api: `handler` serves the HTTP API behind a Lambda function URL (payload 2.0);
 * `eventHandler` receives `ApprovalDecision` and `OrderExpired` events from EventBridge. Both go through the same
 * decision logic (`decide.ts`).
 */

/** Registers every token it passes on with the log redaction, so no log line can ever show it. */
class RedactingTaskTokenClient implements TaskTokenClient {
  constructor(private readonly inner: TaskTokenClient) {}
  complete(taskToken: string, output: unknown): Promise<void> {
    registerSecret(taskToken);
    return this.inner.complete(taskToken, output);
  }
  fail(taskToken: string, error: string, cause: string): Promise<void> {
    registerSecret(taskToken);
    return this.inner.fail(taskToken, error, cause);
  }
  heartbeat(taskToken: string): Promise<void> {
    registerSecret(taskToken);
    return this.inner.heartbeat(taskToken);
  }
}

const now = (): Date => new Date();

let apiDeps: ApiDeps | undefined;
const getApiDeps = (): ApiDeps =>
  (apiDeps ??= {
    verify: createTokenVerifier(readJwtConfig()),
    store: new DynamoApprovalStore(getDocumentClient(), readTableName()),
    tokens: new RedactingTaskTokenClient(new SfnTaskTokenClient(getSfnClient())),
    now,
  });

let eventDeps: ApprovalEventDeps | undefined;
const getEventDeps = (): ApprovalEventDeps =>
  (eventDeps ??= {
    trustedSources: readTrustedSources(),
    store: new DynamoApprovalStore(getDocumentClient(), readTableName()),
    tokens: new RedactingTaskTokenClient(new SfnTaskTokenClient(getSfnClient())),
    now,
  });

const toHttpRequest = (event: LambdaFunctionURLEvent): HttpRequest => ({
  method: event.requestContext.http.method,
  path: event.rawPath,
  query: event.queryStringParameters ?? {},
  headers: Object.fromEntries(
    Object.entries(event.headers).map(([name, value]) => [name.toLowerCase(), value]),
  ),
  body:
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body,
});

/** The approval a response talks about, for log correlation. */
const approvalOf = (response: HttpResponse): Partial<ApprovalRecord> => {
  try {
    const body = JSON.parse(response.body) as { approvalId?: unknown; approval?: Partial<ApprovalRecord> };
    return typeof body.approvalId === 'string' ? (body as Partial<ApprovalRecord>) : (body.approval ?? {});
  } catch {
    return {};
  }
};

/** The metric a decision request counts towards, by answer. */
const DECISION_METRICS: Readonly<Record<number, string>> = {
  200: 'ApprovalsDecided',
  403: 'ApprovalDecisionsForbidden',
  409: 'ApprovalDecisionConflicts',
  410: 'ApprovalDecisionsTooLate',
};

const countDecision = (request: HttpRequest, response: HttpResponse): void => {
  if (request.method.toUpperCase() !== 'POST' || !request.path.endsWith('/decision')) return;
  const metric = DECISION_METRICS[response.statusCode];
  if (metric !== undefined) metrics.addMetric(metric, MetricUnit.Count, 1);
};

/** HTTP API (Lambda function URL, payload format 2.0). */
export const handler = withObservability(
  async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const request = toHttpRequest(event);
    let response: HttpResponse;
    try {
      response = await handleHttpRequest(request, getApiDeps());
    } catch (error) {
      logger.error('request failed', { method: request.method, path: request.path, error });
      response = problem(
        503,
        'ServiceUnavailable',
        'the approval service could not complete the request; retry',
      );
    }
    // Every request counts (reads too): an invocation that records no metric makes Powertools log a WARN.
    metrics.addMetric('ApprovalApiRequests', MetricUnit.Count, 1);
    countDecision(request, response);
    const approval = approvalOf(response);
    const keys = {
      method: request.method,
      path: request.path,
      statusCode: response.statusCode,
      ...(approval.approvalId === undefined ? {} : { approvalId: approval.approvalId }),
      ...(approval.orderId === undefined ? {} : { orderId: approval.orderId }),
      ...(approval.executionId === undefined ? {} : { executionId: approval.executionId }),
    };
    if (response.statusCode >= 500) logger.error('request answered', keys);
    else if (response.statusCode >= 400) logger.warn('request answered', keys);
    else logger.info('request answered', keys);
    return response;
  },
  // The path and body carry no order id; correlation keys are logged per request above.
  { correlation: () => ({}) },
);

/**
 * EventBridge target: `ApprovalDecision` (trusted sources decide; others are kept), `OrderExpired`, `OrderFailed`,
 * and the keepalive schedule.
 */
export const eventHandler = withObservability(async (event: unknown): Promise<{ kind: string }> => {
  const result = await handleApprovalEvent(event, getEventDeps());
  // Every event counts, including the many OrderFailed events of orders that never waited for an approval: an
  // invocation that records no metric makes Powertools log a WARN.
  metrics.addMetric('ApprovalEventsReceived', MetricUnit.Count, 1);
  switch (result.kind) {
    case 'keepalive': {
      const { summary } = result;
      metrics.addMetric('ApprovalsKeptAlive', MetricUnit.Count, summary.heartbeats);
      metrics.addMetric('ApprovalsExpired', MetricUnit.Count, summary.expired);
      metrics.addMetric('ApprovalKeepaliveFailures', MetricUnit.Count, summary.failed.length);
      const keys = {
        eventId: result.eventId,
        pending: summary.pending,
        heartbeats: summary.heartbeats,
        expired: summary.expired,
        failed: summary.failed,
      };
      if (summary.failed.length > 0)
        logger.warn('keepalive: some pending approvals were not kept alive', keys);
      else logger.info('keepalive: pending approvals kept alive', keys);
      // Nothing to retry as a whole: the next round (well within HeartbeatSeconds) retries the failed ones.
      break;
    }
    case 'kept':
      metrics.addMetric('ApprovalEventsKept', MetricUnit.Count, 1);
      logger.warn('event not acted upon; kept for inspection as a rejected-event item', {
        eventId: result.eventId,
        reason: result.reason,
      });
      break;
    case 'unrelated':
      logger.debug('workflow event for an execution without approval', { eventId: result.eventId });
      break;
    case 'expiry':
      metrics.addMetric('ApprovalsExpired', MetricUnit.Count, 1);
      logger.info('approval settled by the workflow expiry', {
        eventId: result.eventId,
        approvalId: result.approvalId,
        status: result.status,
      });
      break;
    case 'decision': {
      metrics.addMetric('ExternalDecisions', MetricUnit.Count, 1);
      const { outcome } = result;
      const details =
        outcome.kind === 'ok' || outcome.kind === 'conflict' || outcome.kind === 'gone'
          ? {
              approvalId: outcome.approval.approvalId,
              orderId: outcome.approval.orderId,
              executionId: outcome.approval.executionId,
              status: outcome.approval.status,
            }
          : outcome.kind === 'not-found'
            ? { approvalId: outcome.approvalId }
            : { reason: outcome.reason };
      if (outcome.kind === 'ok')
        logger.info('external decision applied', { eventId: result.eventId, ...details });
      else
        logger.warn(`external decision not applied: ${outcome.kind}`, {
          eventId: result.eventId,
          ...details,
        });
      break;
    }
  }
  return { kind: result.kind };
});
