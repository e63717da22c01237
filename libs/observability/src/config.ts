import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';

/**
 * Reads a required environment variable, trimmed. Call it at module scope, so that a function deployed without
 * its configuration fails at cold start with a message that names the variable and what it is for.
 *
 * @example
 * ```ts
 * const tableName = readRequiredEnv(EnvVars.InventoryTableName, 'the DynamoDB inventory table');
 * ```
 * @throws Error `Environment variable INVENTORY_TABLE_NAME (the DynamoDB inventory table) is required but not set`
 */
export const readRequiredEnv = (key: string, purpose: string): string => {
  const errorMessage = `Environment variable ${key} (${purpose}) is required but not set`;
  const value = getStringFromEnv({ key, errorMessage });
  if (value === '') throw new Error(errorMessage);
  return value;
};

/** Reads an optional environment variable, trimmed, or returns `defaultValue` when it is not set. */
export const readOptionalEnv = (key: string, defaultValue: string): string =>
  getStringFromEnv({ key, defaultValue });

/** Service name used by the Logger, Tracer and Metrics (env `POWERTOOLS_SERVICE_NAME`, set by TaskFunction). */
export const serviceName = readOptionalEnv('POWERTOOLS_SERVICE_NAME', 'complex-workflow');

/** CloudWatch metrics namespace (env `POWERTOOLS_METRICS_NAMESPACE`). */
export const metricsNamespace = readOptionalEnv('POWERTOOLS_METRICS_NAMESPACE', 'ComplexWorkflow');
