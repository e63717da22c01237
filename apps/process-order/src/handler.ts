import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  EnvVars,
  type ProcessTaskOutput,
  ProcessTaskInputSchema,
  ProcessTaskOutputSchema,
  describeFieldErrors,
  toFieldErrors,
} from '@flow/contracts';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  extractCorrelationKeys,
  getDynamoDbClient,
  logger,
  metrics,
  readRequiredEnv,
  toTaskError,
  withObservability,
} from '@flow/observability';
import { InvalidTaskInputError } from './errors';
import { processEvent, replayResult } from './process-order';

/**
 * How long a processed event id is remembered: EventBridge retries a delivery for up to 24 hours (the rule
 * target's maximum event age), so a redelivery within that window returns the first result.
 */
const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

const idempotencyTableName = readRequiredEnv(
  EnvVars.IdempotencyTableName,
  'the Powertools idempotency table',
);

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: idempotencyTableName,
  awsSdkV3Client: getDynamoDbClient(),
});
/** The execution id of the invocation in progress (one invocation at a time per function instance). */
let currentExecutionId: string | undefined;

const idempotencyConfig = new IdempotencyConfig({
  // The EventBridge event id: the same for every delivery of one event. An input without one (not an event) is
  // not remembered: Powertools skips idempotency when the key is missing, so each such run gets its own answer.
  eventKeyJmesPath: 'event.id',
  expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
  // A redelivery processed first by another execution is answered `{ status: 'duplicate' }`.
  responseHook: (response) => {
    // A replay runs no handler code: counting it here also keeps Powertools from warning that nothing was counted.
    metrics.addMetric('OrderDeliveriesReplayed', MetricUnit.Count, 1);
    const stored = ProcessTaskOutputSchema.safeParse(response);
    return stored.success ? replayResult(stored.data, currentExecutionId) : response;
  },
});

/** Remembers the payload's `executionId` for the idempotency response hook. */
const rememberExecutionId: MiddlewareObj<unknown, unknown, Error, Context> = {
  name: 'rememberExecutionId',
  before: (request) => {
    const input = ProcessTaskInputSchema.safeParse(request.event);
    currentExecutionId = input.success ? input.data.executionId : undefined;
  },
};

/** Parses the workflow payload, runs the pure logic, records the outcome. */
const processTask = async (payload: unknown): Promise<ProcessTaskOutput> => {
  const input = ProcessTaskInputSchema.safeParse(payload);
  if (!input.success) {
    throw new InvalidTaskInputError(
      `ProcessTask expects the OrderSubmitted EventBridge event as { event, executionId } (the workflow's payload): ${describeFieldErrors(toFieldErrors(input.error))}`,
    );
  }
  const output = processEvent(input.data.event, input.data.executionId);
  if (output.status === 'success') {
    metrics.addMetric('OrderProcessed', MetricUnit.Count, 1);
    logger.info('order processed', { total: output.order.totals.total, currency: output.order.currency });
  } else {
    metrics.addMetric('OrderInvalid', MetricUnit.Count, 1);
    logger.warn('order is invalid', { errors: output.errors });
  }
  return output;
};

/** Correlation keys of the wrapped event (`event.id`, `event.detail.orderId`) and the payload's `executionId`. */
const correlation = (payload: unknown) => {
  const wrapped =
    typeof payload === 'object' && payload !== null && 'event' in payload ? payload.event : payload;
  const { executionId } = extractCorrelationKeys(payload);
  return { ...extractCorrelationKeys(wrapped), ...(executionId === undefined ? {} : { executionId }) };
};

/**
 * `ProcessTask`: LambdaInvoke with the payload `{ event: $, executionId: $$.Execution.Id }`. Any execution input that
 * is not an `OrderSubmitted` event is answered `{ status: 'invalid' }` (a validation failure, not a task fault).
 * Idempotent on the event `id`: a duplicate delivery returns the first invocation's result without processing the
 * order again, or `{ status: 'duplicate' }` when another execution processed it first.
 */
const idempotentHandler = withObservability(processTask, { correlation })
  .use(rememberExecutionId)
  .use(makeHandlerIdempotent({ persistenceStore, config: idempotencyConfig }));

/**
 * The Lambda entry. The idempotency middleware's own error path (deleting the in-progress record) can throw past
 * the other middlewares' `onError`, so the task error mapping is applied once more here: a persistence-layer
 * failure reaches Step Functions as the retryable `TransientDependencyError`.
 */
export const handler = async (event: unknown, context: Context): Promise<ProcessTaskOutput> => {
  try {
    return await idempotentHandler(event, context);
  } catch (error) {
    throw toTaskError(error);
  }
};
