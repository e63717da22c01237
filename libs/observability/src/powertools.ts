import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { metricsNamespace, serviceName } from './config';
import { redactingJsonReplacer } from './redaction';

/**
 * The one Logger of a function. Structured JSON; every line passes through {@link redactingJsonReplacer}, so a
 * task token never reaches CloudWatch Logs. Never `new Logger()` in a service: use this one (or `createChild()`).
 */
export const logger = new Logger({ serviceName, jsonReplacerFn: redactingJsonReplacer });

/** The one Tracer of a function (X-Ray; disabled automatically outside Lambda, e.g. in unit tests). */
export const tracer = new Tracer({ serviceName });

/**
 * The one Metrics instance of a function (CloudWatch EMF on stdout). Its own warnings (e.g. "No application metrics
 * to publish" after an invocation that counted nothing) go through the Logger, as structured WARN lines with the
 * invocation's keys, not as bare stderr text that log tools show as errors.
 */
export const metrics = new Metrics({ namespace: metricsNamespace, serviceName, logger });
