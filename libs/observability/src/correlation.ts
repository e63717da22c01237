import type { MiddlewareObj } from '@middy/core';
import { logger, tracer } from './powertools';

/** The keys that tie a log line or trace to a workflow run, an order and the upstream event. */
export interface CorrelationKeys {
  /** Step Functions execution ARN (`$$.Execution.Id`). */
  executionId?: string;
  orderId?: string;
  /** Id of the upstream EventBridge event. */
  eventId?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringAt = (value: unknown, key: string): string | undefined => {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return typeof found === 'string' && found.length > 0 ? found : undefined;
};

/**
 * Finds the correlation keys in the payload shapes the workflow uses: an EventBridge event (`id`, `detail.orderId`),
 * a task payload (`executionId`, `order.orderId` or `orderId`, `eventId`). Missing keys are left out.
 */
export const extractCorrelationKeys = (event: unknown): CorrelationKeys => {
  const isEventBridgeEvent = isRecord(event) && 'detail-type' in event;
  const keys: CorrelationKeys = {};
  const executionId = stringAt(event, 'executionId');
  const orderId =
    stringAt(isRecord(event) ? event['detail'] : undefined, 'orderId') ??
    stringAt(isRecord(event) ? event['order'] : undefined, 'orderId') ??
    stringAt(event, 'orderId');
  const eventId = isEventBridgeEvent ? stringAt(event, 'id') : stringAt(event, 'eventId');
  if (executionId !== undefined) keys.executionId = executionId;
  if (orderId !== undefined) keys.orderId = orderId;
  if (eventId !== undefined) keys.eventId = eventId;
  return keys;
};

/**
 * Middy middleware that appends the correlation keys of the event to every log line of the invocation (temporary
 * keys: `injectLambdaContext({ resetKeys: true })` removes them afterwards) and records them as X-Ray annotations.
 */
export const correlationKeys = <TEvent>(
  extract: (event: TEvent) => CorrelationKeys = extractCorrelationKeys,
): MiddlewareObj<TEvent> => ({
  name: 'correlationKeys',
  before: (request) => {
    const keys = extract(request.event);
    logger.appendKeys({ ...keys });
    for (const [key, value] of Object.entries(keys)) {
      if (typeof value === 'string') tracer.putAnnotation(key, value);
    }
  },
});
