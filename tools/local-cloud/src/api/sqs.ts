import { AwsError, internalFailure, unknownOperation } from '../server/aws-error';
import { type JsonProtocolService } from '../server/json-service';
import { type JsonObject } from '../server/params';
import { header, type Route, type WireResponse } from '../server/route';
import { asSqsError } from './sqs-errors';
import { parseQueryRequest, queryErrorXml, queryResponseXml } from './sqs-query';

/** One SQS operation over JSON-protocol shapes (input as the SDK sends it, output as the SDK expects it). */
export type SqsOperation = (input: JsonObject, context: RequestContext) => object | Promise<object>;

/** What an operation may read about its request; `signal` (aborted when the client leaves) is created on first read. */
export interface RequestContext {
  readonly signal: AbortSignal;
}

/** The SQS operations the endpoint serves, by action name, and how their domain errors map to AWS errors. */
export interface SqsApi {
  readonly operations: ReadonlyMap<string, SqsOperation>;
  toAwsError(error: unknown): AwsError | undefined;
}

/** Largest SQS request: a batch of 10 messages of 256 KiB each is refused by the service, not by the wire. */
const MAX_SQS_BODY_BYTES = 4 * 1024 * 1024;

const run = async (
  api: SqsApi,
  action: string,
  input: JsonObject,
  context: RequestContext,
): Promise<object> => {
  const operation = api.operations.get(action);
  if (operation === undefined) {
    throw asSqsError(
      new AwsError('InvalidAction', `The action ${action || '(none)'} is not valid for this endpoint.`),
    );
  }
  return operation(input, context);
};

/** SQS over awsJson1_0 (`X-Amz-Target: AmazonSQS.<Action>`), query-compatible: errors carry `x-amzn-query-error`. */
export const sqsJsonService = (api: SqsApi): JsonProtocolService => ({
  targetPrefix: 'AmazonSQS',
  jsonVersion: '1.0',
  errorTypePrefix: 'com.amazonaws.sqs#',
  handle: async (operation, params, context) => {
    if (!api.operations.has(operation)) throw unknownOperation(operation);
    return run(api, operation, params.raw, context);
  },
  toAwsError: (error) => api.toAwsError(error),
  decorateError: asSqsError,
});

const isQueryRequest = (method: string, query: URLSearchParams, contentType: string): boolean =>
  (method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) ||
  (method === 'GET' && query.has('Action'));

/**
 * SQS over the query protocol (form-encoded `Action=...&Version=2012-11-05`, XML responses), as older AWS CLIs
 * and SDKs speak it. Errors are `<ErrorResponse>` documents with the query-protocol code.
 */
export const sqsQueryRoute = (api: SqsApi): Route => {
  const xml = (status: number, body: string, requestId: string): WireResponse => ({
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  });
  const errorResponse = (raw: AwsError, requestId: string): WireResponse => {
    const error = asSqsError(raw);
    return xml(
      error.status,
      queryErrorXml(error.fault, error.queryCode ?? error.code, error.message, requestId),
      requestId,
    );
  };
  return {
    name: 'sqs-query',
    maxBodyBytes: MAX_SQS_BODY_BYTES,
    matches: (method, _path, query, headers) =>
      header(headers, 'x-amz-target') === undefined &&
      isQueryRequest(method, query, header(headers, 'content-type') ?? ''),
    errorResponse: (error, request) => errorResponse(error, request.requestId),
    handle: async (request) => {
      const form = new URLSearchParams(request.query);
      for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) form.append(key, value);
      const { action, input } = parseQueryRequest(form, request.path, request.endpoint);
      try {
        const output = await run(api, action, input, request);
        return xml(200, queryResponseXml(action, output as JsonObject, request.requestId), request.requestId);
      } catch (error) {
        const awsError = error instanceof AwsError ? error : api.toAwsError(error);
        if (awsError === undefined) {
          console.error(`[local-cloud] SQS ${action} failed unexpectedly`, error);
          return errorResponse(internalFailure(), request.requestId);
        }
        return errorResponse(awsError, request.requestId);
      }
    },
  };
};
