import { type IncomingHttpHeaders } from 'node:http';
import { AwsError, internalFailure } from './aws-error';
import { type JsonProtocolService } from './json-service';
import { parseJsonBody, toWire } from './json-wire';
import { Params } from './params';
import { header, type Route, type WireRequest, type WireResponse } from './route';

/** Request bodies of the JSON services (the largest legitimate one is a 1 MiB state machine definition). */
const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

const serviceOf = (services: ReadonlyMap<string, JsonProtocolService>, headers: IncomingHttpHeaders) => {
  const target = header(headers, 'x-amz-target') ?? '';
  const dot = target.indexOf('.');
  if (dot <= 0) return undefined;
  const service = services.get(target.slice(0, dot));
  return service === undefined ? undefined : { service, operation: target.slice(dot + 1) };
};

const errorBody = (
  service: JsonProtocolService | undefined,
  raw: AwsError,
  requestId: string,
): WireResponse => {
  const error = service?.decorateError?.(raw) ?? raw;
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${service?.jsonVersion ?? '1.0'}`,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
  };
  if (error.queryCode !== undefined) headers['x-amzn-query-error'] = `${error.queryCode};${error.fault}`;
  return {
    status: error.status,
    headers,
    body: JSON.stringify({
      __type: `${service?.errorTypePrefix ?? ''}${error.code}`,
      message: error.message,
    }),
  };
};

/**
 * The awsJson1_0 / awsJson1_1 protocols: `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON body;
 * the output as JSON with epoch-second timestamps; errors as `{"__type","message"}` with the HTTP status.
 */
export const jsonProtocolRoute = (list: readonly JsonProtocolService[]): Route => {
  const services = new Map(list.map((s) => [s.targetPrefix, s]));
  return {
    name: 'aws-json',
    maxBodyBytes: MAX_JSON_BODY_BYTES,
    matches: (_method, _path, _query, headers) => serviceOf(services, headers) !== undefined,
    errorResponse: (error, request) =>
      errorBody(serviceOf(services, request.headers)?.service, error, request.requestId),
    handle: async (request: WireRequest): Promise<WireResponse> => {
      const found = serviceOf(services, request.headers);
      if (found === undefined)
        throw new Error('jsonProtocolRoute: handle called for a request it does not match');
      const { service, operation } = found;
      try {
        const params = new Params(parseJsonBody(request.body));
        // `signal` stays lazy: only a long poll reads it (creating it costs an AbortController and a listener).
        const context = {
          get signal(): AbortSignal {
            return request.signal;
          },
        };
        const output = await service.handle(operation, params, context);
        return {
          status: 200,
          headers: {
            'content-type': `application/x-amz-json-${service.jsonVersion}`,
            'x-amzn-requestid': request.requestId,
          },
          body: JSON.stringify(toWire(output ?? {})),
        };
      } catch (error) {
        const awsError = error instanceof AwsError ? error : service.toAwsError(error);
        if (awsError === undefined) {
          console.error(`[local-cloud] ${service.targetPrefix}.${operation} failed unexpectedly`, error);
          return errorBody(service, internalFailure(), request.requestId);
        }
        return errorBody(service, awsError, request.requestId);
      }
    },
  };
};
