import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type CorrelationKeys, correlationKeys, extractCorrelationKeys } from './correlation';
import { logger, metrics, tracer } from './powertools';
import { toTaskError } from './task-errors';

/** Options of {@link withObservability}. */
export interface ObservabilityOptions<TEvent> {
  /**
   * Picks the correlation keys from the event.
   * @default - {@link extractCorrelationKeys} (EventBridge event or workflow task payload)
   */
  correlation?: (event: TEvent) => CorrelationKeys;
  /**
   * Log the incoming event (redacted) at INFO.
   * @default - false (also switchable with `POWERTOOLS_LOGGER_LOG_EVENT`)
   */
  logEvent?: boolean;
  /**
   * Record the handler's response as X-Ray metadata.
   * @default - true
   */
  captureResponse?: boolean;
  /**
   * Maps the error a failed invocation ends with (runs after every other middleware's `onError`), so the function
   * error type is one the state machine's Retry/Catch match.
   * @default - {@link toTaskError} (transient AWS failures become `TransientDependencyError`)
   */
  mapError?: (error: unknown) => unknown;
}

/** Middy middleware that replaces the invocation's error with `mapError(error)`; register it first. */
const errorMapping = <TEvent, TResult>(
  mapError: (error: unknown) => unknown,
): MiddlewareObj<TEvent, TResult, Error, Context> => ({
  name: 'errorMapping',
  onError: (request) => {
    const mapped = mapError(request.error);
    if (mapped instanceof Error) request.error = mapped;
  },
});

/**
 * Wraps a handler in the workspace's middy stack: X-Ray segment for the handler (`captureLambdaHandler`), Lambda
 * context in every log line (`injectLambdaContext`, temporary keys reset after each invocation), EMF metrics flushed
 * with a cold-start metric (`logMetrics`), and the correlation keys of the event (`executionId`, `orderId`,
 * `eventId`), and errors mapped to the task error names (transient AWS failures → `TransientDependencyError`).
 * Add handler-specific middlewares (parser, idempotency) with `.use()` on the result.
 *
 * @example
 * ```ts
 * export const handler = withObservability(async (event: ScoreRiskInput) => scoreRisk(event.order));
 * ```
 */
export const withObservability = <TEvent, TResult>(
  handler: (event: TEvent, context: Context) => Promise<TResult>,
  options: ObservabilityOptions<TEvent> = {},
): MiddyfiedHandler<TEvent, TResult, Error, Context> =>
  middy<TEvent, TResult, Error, Context>(handler)
    .use(errorMapping<TEvent, TResult>(options.mapError ?? toTaskError))
    .use(captureLambdaHandler(tracer, { captureResponse: options.captureResponse ?? true }))
    .use(
      injectLambdaContext(logger, {
        resetKeys: true,
        ...(options.logEvent === true ? { logEvent: true } : {}),
      }),
    )
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(correlationKeys<TEvent>(options.correlation ?? extractCorrelationKeys));
