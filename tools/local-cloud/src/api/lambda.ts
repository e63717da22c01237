import { AwsError, internalFailure } from '../server/aws-error';
import { header, type Route, type WireRequest, type WireResponse } from '../server/route';

/** Largest synchronous invocation payload Lambda accepts (6 MB); asynchronous ones are limited to 256 KB. */
const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
const MAX_ASYNC_PAYLOAD = 256 * 1024;
/** Lambda returns at most the last 4 KB of the log in `X-Amz-Log-Result`. */
const LOG_TAIL_BYTES = 4096;

/** A function as ListFunctions / GetFunction describe it. */
export interface LambdaFunctionInfo {
  functionName: string;
  functionArn: string;
  runtime: string;
  handler: string;
  timeoutSeconds: number;
  memorySize: number;
  environment: Readonly<Record<string, string>>;
  tracingMode?: string;
  reservedConcurrency?: number;
}

/** The result of one synchronous invocation. */
export interface LambdaInvokeResult {
  /** The handler's result serialised as JSON text, or the Lambda error document `{errorType, errorMessage, trace}`. */
  payload: string;
  /** Set when the invocation failed (`Unhandled` for an exception, a timeout or a crash). */
  functionError?: 'Unhandled' | 'Handled';
  /** What the function logged during this invocation (the wire sends the last 4 KB when asked). */
  logs?: string;
}

/** What the Lambda wire layer needs from the local Lambda runtime. */
export interface LambdaBackend {
  /** All functions, in a stable order. */
  listFunctions(): readonly LambdaFunctionInfo[];
  /** Resolves a function by name, full ARN, or partial ARN (`<account>:function:<name>`); undefined if absent. */
  findFunction(nameOrArn: string): LambdaFunctionInfo | undefined;
  /** Runs the function synchronously with the raw JSON payload text. */
  invoke(
    functionName: string,
    payload: string,
    options: { clientContext?: string },
  ): Promise<LambdaInvokeResult>;
  /** Queues an asynchronous invocation (`Event`): resolves once accepted. */
  invokeAsync(functionName: string, payload: string): Promise<void>;
}

const LAMBDA_PATH = /^\/2015-03-31\/functions(?:\/([^/]+))?(?:\/(invocations|configuration))?\/?$/;

/** `FunctionName` in a path: a name, a full ARN, or a partial ARN, with an optional `:qualifier` suffix. */
const splitQualifier = (raw: string): { name: string; qualifier?: string } => {
  const decoded = decodeURIComponent(raw);
  if (decoded.startsWith('arn:')) {
    const parts = decoded.split(':');
    return parts.length > 7
      ? { name: parts.slice(0, 7).join(':'), qualifier: parts[7] ?? '' }
      : { name: decoded };
  }
  const parts = decoded.split(':');
  if (parts.length === 2) return { name: parts[0] ?? '', qualifier: parts[1] ?? '' };
  if (parts.length === 4) return { name: parts.slice(0, 3).join(':'), qualifier: parts[3] ?? '' };
  return { name: decoded };
};

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

const lambdaError = (error: AwsError, requestId: string): WireResponse =>
  json(
    requestId,
    error.status,
    { Type: error.fault === 'Sender' ? 'User' : 'Service', message: error.message },
    { 'x-amzn-errortype': error.code },
  );

/** `LastModified` as Lambda formats it: `2024-01-01T00:00:00.000+0000`. */
const lambdaTimestamp = (date: Date): string => date.toISOString().replace('Z', '+0000');

/** The FunctionConfiguration shape of the Lambda API. */
export const functionConfiguration = (
  fn: LambdaFunctionInfo,
  lastModified: Date,
): Record<string, unknown> => ({
  FunctionName: fn.functionName,
  FunctionArn: fn.functionArn,
  Runtime: fn.runtime,
  Role: `arn:aws:iam::${fn.functionArn.split(':')[4] ?? '000000000000'}:role/${fn.functionName}-role`,
  Handler: fn.handler,
  CodeSize: 0,
  Description: '',
  Timeout: fn.timeoutSeconds,
  MemorySize: fn.memorySize,
  LastModified: lambdaTimestamp(lastModified),
  CodeSha256: '',
  Version: '$LATEST',
  Environment: { Variables: fn.environment },
  TracingConfig: { Mode: fn.tracingMode ?? 'PassThrough' },
  State: 'Active',
  LastUpdateStatus: 'Successful',
  PackageType: 'Zip',
  Architectures: ['x86_64'],
  EphemeralStorage: { Size: 512 },
});

const notFound = (nameOrArn: string, region: string, account: string): AwsError => {
  const arn = nameOrArn.startsWith('arn:')
    ? nameOrArn
    : `arn:aws:lambda:${region}:${account}:function:${nameOrArn}`;
  return new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
};

/** The last `LOG_TAIL_BYTES` of a log, base64-encoded as `X-Amz-Log-Result` carries it. */
export const logTail = (logs: string): string => {
  const bytes = Buffer.from(logs, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
};

/**
 * Lambda's restJson1 API: `POST /2015-03-31/functions/<fn>/invocations` (Invoke), `GET /2015-03-31/functions/`
 * (ListFunctions), `GET /2015-03-31/functions/<fn>` (GetFunction), `GET .../configuration`
 * (GetFunctionConfiguration).
 */
export const lambdaRoute = (
  backend: LambdaBackend,
  identity: { region: string; accountId: string; startedAt: Date },
): Route => {
  const invoke = async (request: WireRequest, rawName: string): Promise<WireResponse> => {
    const { requestId } = request;
    const { name, qualifier } = splitQualifier(rawName);
    const fn = backend.findFunction(name);
    if (fn === undefined) throw notFound(name, identity.region, identity.accountId);
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      throw new AwsError(
        'ResourceNotFoundException',
        `Function not found: ${fn.functionArn}:${qualifier}`,
        404,
      );
    }
    const invocationType = header(request.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
      throw new AwsError(
        'InvalidParameterValueException',
        `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
      );
    }
    const payload = request.body.length === 0 ? '{}' : request.body.toString('utf8');
    const limit = invocationType === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (request.body.length > limit) {
      throw new AwsError(
        'RequestTooLargeException',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        413,
      );
    }
    try {
      JSON.parse(payload);
    } catch (error) {
      throw new AwsError(
        'InvalidRequestContentException',
        `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (invocationType === 'DryRun') {
      return { status: 204, headers: { 'x-amzn-requestid': requestId }, body: '' };
    }
    if (invocationType === 'Event') {
      await backend.invokeAsync(fn.functionName, payload);
      return { status: 202, headers: { 'x-amzn-requestid': requestId }, body: '' };
    }
    const clientContext = header(request.headers, 'x-amz-client-context');
    const result = await backend.invoke(
      fn.functionName,
      payload,
      clientContext === undefined ? {} : { clientContext },
    );
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST',
    };
    if (result.functionError !== undefined) headers['x-amz-function-error'] = result.functionError;
    if (header(request.headers, 'x-amz-log-type') === 'Tail')
      headers['x-amz-log-result'] = logTail(result.logs ?? '');
    return { status: 200, headers, body: result.payload };
  };

  return {
    name: 'lambda',
    maxBodyBytes: MAX_SYNC_PAYLOAD + 1024,
    matches: (_method, path) => path.startsWith('/2015-03-31/functions'),
    errorResponse: (error, request) =>
      lambdaError(
        error.code === 'RequestEntityTooLargeException'
          ? new AwsError(
              'RequestTooLargeException',
              `Request must be smaller than ${MAX_SYNC_PAYLOAD} bytes for the InvokeFunction operation`,
              413,
            )
          : error,
        request.requestId,
      ),
    handle: async (request) => {
      try {
        const match = LAMBDA_PATH.exec(request.path);
        const fnName = match?.[1];
        const sub = match?.[2];
        if (match !== null && request.method === 'POST' && fnName !== undefined && sub === 'invocations') {
          return await invoke(request, fnName);
        }
        if (match !== null && request.method === 'GET' && fnName === undefined) {
          return json(request.requestId, 200, {
            Functions: backend.listFunctions().map((fn) => functionConfiguration(fn, identity.startedAt)),
          });
        }
        if (match !== null && request.method === 'GET' && fnName !== undefined) {
          const { name } = splitQualifier(fnName);
          const fn = backend.findFunction(name);
          if (fn === undefined) throw notFound(name, identity.region, identity.accountId);
          const configuration = functionConfiguration(fn, identity.startedAt);
          if (sub === 'configuration') return json(request.requestId, 200, configuration);
          return json(request.requestId, 200, {
            Configuration: configuration,
            Code: { RepositoryType: 'S3', Location: '' },
            ...(fn.reservedConcurrency === undefined
              ? {}
              : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
          });
        }
        throw new AwsError(
          'UnknownOperationException',
          `The local cloud does not implement ${request.method} ${request.path}`,
          404,
        );
      } catch (error) {
        if (error instanceof AwsError) return lambdaError(error, request.requestId);
        console.error('[local-cloud] Lambda API failed', error);
        return lambdaError(
          new AwsError('ServiceException', internalFailure().message, 500),
          request.requestId,
        );
      }
    },
  };
};
