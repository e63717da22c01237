import { AwsError, internalFailure } from '../server/aws-error';
import { header, type Route, type WireRequest, type WireResponse } from '../server/route';
import { type FunctionSpec } from '../loader/types';
import {
  type FunctionInfo,
  type InvokeOptions,
  type InvokeResult,
  LambdaServiceError,
} from '../lambda/runtime';

/** Largest request body: a synchronous invocation's 6 MB payload (the runtime enforces the exact limits). */
const MAX_BODY_BYTES = 6 * 1024 * 1024 + 1024;
/** Lambda returns at most the last 4 KB of the log in `X-Amz-Log-Result`. */
const LOG_TAIL_BYTES = 4096;

/** What the Lambda wire layer needs from the local Lambda runtime (`LambdaRuntime` satisfies it). */
export interface LambdaBackend {
  list(): FunctionInfo[];
  get(nameOrArn: string): FunctionInfo | undefined;
  invoke(nameOrArn: string, payload: string, options?: InvokeOptions): Promise<InvokeResult>;
}

/** Reads what a function logged during one request (for `X-Amz-Log-Type: Tail`). */
export type RequestLogReader = (requestId: string) => string;

const LAMBDA_PATH = /^\/2015-03-31\/functions(?:\/([^/]+))?(?:\/(invocations|configuration))?\/?$/;

const json = (
  requestId: string,
  status: number,
  value: unknown,
  extra: Record<string, string> = {},
): WireResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...extra },
  body: JSON.stringify(value),
});

/** Lambda's error shape: `x-amzn-ErrorType` header, body `{"Type","message"}` (+`Reason` for throttles). */
const lambdaError = (error: AwsError, requestId: string, reason?: string): WireResponse =>
  json(
    requestId,
    error.status,
    {
      Type: error.fault === 'Sender' ? 'User' : 'Service',
      message: error.message,
      ...(reason === undefined ? {} : { Reason: reason }),
    },
    { 'x-amzn-errortype': error.code },
  );

/** `LastModified` as Lambda formats it: `2024-01-01T00:00:00.000+0000`. */
const lambdaTimestamp = (date: Date): string => date.toISOString().replace('Z', '+0000');

/** The FunctionConfiguration shape of the Lambda API. */
export const functionConfiguration = (spec: FunctionSpec, lastModified: Date): Record<string, unknown> => ({
  FunctionName: spec.functionName,
  FunctionArn: spec.functionArn,
  Runtime: spec.runtime,
  Role: `arn:aws:iam::${spec.functionArn.split(':')[4] ?? '000000000000'}:role/${spec.functionName}`,
  Handler: spec.handler,
  CodeSize: 0,
  Description: '',
  Timeout: spec.timeoutSeconds,
  MemorySize: spec.memorySize,
  LastModified: lambdaTimestamp(lastModified),
  CodeSha256: '',
  Version: '$LATEST',
  Environment: { Variables: spec.environment },
  TracingConfig: { Mode: spec.tracingMode ?? 'PassThrough' },
  State: 'Active',
  LastUpdateStatus: 'Successful',
  PackageType: 'Zip',
  Architectures: ['x86_64'],
  EphemeralStorage: { Size: 512 },
});

/** The last 4 KB of a log, base64-encoded as `X-Amz-Log-Result` carries it. */
export const logTail = (logs: string): string => {
  const bytes = Buffer.from(logs, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
};

const invocationType = (request: WireRequest): 'RequestResponse' | 'Event' | 'DryRun' => {
  const value = header(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (value === 'RequestResponse' || value === 'Event' || value === 'DryRun') return value;
  throw new AwsError(
    'InvalidParameterValueException',
    `1 validation error detected: Value '${value}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
  );
};

const clientContext = (request: WireRequest): unknown => {
  const raw = header(request.headers, 'x-amz-client-context');
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as unknown;
  } catch {
    throw new AwsError(
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
    );
  }
};

/**
 * Lambda's restJson1 API: `POST /2015-03-31/functions/<fn>/invocations` (Invoke: RequestResponse, Event, DryRun;
 * `X-Amz-Function-Error`, `X-Amz-Executed-Version`, `X-Amz-Log-Result` with `X-Amz-Log-Type: Tail`),
 * `GET /2015-03-31/functions/` (ListFunctions), `GET /2015-03-31/functions/<fn>` (GetFunction) and
 * `GET .../configuration` (GetFunctionConfiguration).
 */
export const lambdaRoute = (backend: LambdaBackend, readLogs: RequestLogReader, startedAt: Date): Route => {
  const invoke = async (request: WireRequest, fn: string): Promise<WireResponse> => {
    const type = invocationType(request);
    const context = clientContext(request);
    const result = await backend.invoke(decodeURIComponent(fn), request.body.toString('utf8'), {
      invocationType: type,
      ...(context === undefined ? {} : { clientContext: context }),
    });
    const headers: Record<string, string> = {
      'x-amzn-requestid': result.requestId,
      'x-amz-executed-version': result.executedVersion,
    };
    if (result.statusCode !== 200) return { status: result.statusCode, headers, body: '' };
    headers['content-type'] = 'application/json';
    if (result.functionError !== undefined) headers['x-amz-function-error'] = result.functionError;
    if (header(request.headers, 'x-amz-log-type') === 'Tail') {
      headers['x-amz-log-result'] = logTail(readLogs(result.requestId));
    }
    return { status: 200, headers, body: result.payload };
  };

  const describe = (request: WireRequest, fn: string, configurationOnly: boolean): WireResponse => {
    const info = backend.get(decodeURIComponent(fn));
    if (info === undefined) {
      throw new AwsError('ResourceNotFoundException', `Function not found: ${decodeURIComponent(fn)}`, 404);
    }
    const configuration = functionConfiguration(info.spec, startedAt);
    if (configurationOnly) return json(request.requestId, 200, configuration);
    return json(request.requestId, 200, {
      Configuration: configuration,
      Code: { RepositoryType: 'S3', Location: '' },
      ...(info.spec.reservedConcurrency === undefined
        ? {}
        : { Concurrency: { ReservedConcurrentExecutions: info.spec.reservedConcurrency } }),
    });
  };

  return {
    name: 'lambda',
    maxBodyBytes: MAX_BODY_BYTES,
    matches: (_method, path) => path.startsWith('/2015-03-31/functions'),
    errorResponse: (error, request) =>
      lambdaError(
        error.status === 413
          ? new AwsError(
              'RequestTooLargeException',
              'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
              413,
            )
          : error,
        request.requestId,
      ),
    handle: async (request) => {
      try {
        const match = LAMBDA_PATH.exec(request.path);
        const fn = match?.[1];
        const sub = match?.[2];
        if (match !== null && request.method === 'POST' && fn !== undefined && sub === 'invocations') {
          return await invoke(request, fn);
        }
        if (match !== null && request.method === 'GET' && fn === undefined && sub === undefined) {
          return json(request.requestId, 200, {
            Functions: backend.list().map((info) => functionConfiguration(info.spec, startedAt)),
          });
        }
        if (match !== null && request.method === 'GET' && fn !== undefined && sub !== 'invocations') {
          return describe(request, fn, sub === 'configuration');
        }
        throw new AwsError(
          'UnknownOperationException',
          `The local cloud does not implement ${request.method} ${request.path}`,
          404,
        );
      } catch (error) {
        if (error instanceof AwsError) return lambdaError(error, request.requestId);
        if (error instanceof LambdaServiceError) {
          return lambdaError(
            new AwsError(error.code, error.message, error.status),
            request.requestId,
            error.reason,
          );
        }
        console.error('[local-cloud] Lambda API failed', error);
        return lambdaError(
          new AwsError('ServiceException', internalFailure().message, 500),
          request.requestId,
        );
      }
    },
  };
};
