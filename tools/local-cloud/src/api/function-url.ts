import { type LambdaBackend } from './lambda';
import { type Route, type WireRequest, type WireResponse } from '../server/route';
import { type AwsError } from '../server/aws-error';

/**
 * Lambda function URLs, locally: `http://127.0.0.1:<port>/_url/<function-name>/<path>?<query>` invokes
 * `<function-name>` with the function-URL (payload format 2.0) event for `/<path>?<query>` and maps its result
 * to the HTTP response, as the Lambda URL front end does.
 */
export const FUNCTION_URL_PREFIX = '/_url/';

const MAX_BODY = 6 * 1024 * 1024;

/** The local URL of a function (what to print and to configure clients with). */
export const localFunctionUrl = (endpoint: string, functionName: string): string =>
  `${endpoint}${FUNCTION_URL_PREFIX}${encodeURIComponent(functionName)}/`;

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

const clfTime = (date: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()] ?? ''}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
};

/** Builds the payload-format-2.0 event a function URL hands the function. */
export const functionUrlEvent = (
  request: Pick<WireRequest, 'method' | 'headers' | 'body' | 'requestId'>,
  rawPath: string,
  rawQueryString: string,
  now: Date,
): Record<string, unknown> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookieHeader = request.headers.cookie;
  const cookies = cookieHeader === undefined ? undefined : cookieHeader.split(/;\s*/).filter((c) => c !== '');
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  }
  const contentType = headers['content-type'] ?? '';
  const isText = request.body.length === 0 || TEXT_TYPES.test(contentType);
  const urlId = 'local';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName: headers['host'] ?? `${urlId}.lambda-url.localhost`,
      domainPrefix: urlId,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length === 0
      ? {}
      : { body: isText ? request.body.toString('utf8') : request.body.toString('base64') }),
    isBase64Encoded: !isText,
  };
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Maps a function's result to the HTTP response as function URLs do (a result without statusCode is JSON 200). */
export const functionUrlResponse = (result: unknown, requestId: string): WireResponse => {
  if (!isObject(result) || typeof result['statusCode'] !== 'number') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: typeof result === 'string' ? result : JSON.stringify(result),
    };
  }
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  if (isObject(result['headers'])) {
    for (const [name, value] of Object.entries(result['headers'])) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        headers[name.toLowerCase()] = String(value);
      }
    }
  }
  if (Array.isArray(result['cookies'])) {
    headers['set-cookie'] = result['cookies'].filter((c): c is string => typeof c === 'string').join(', ');
  }
  const rawBody = result['body'];
  const text = typeof rawBody === 'string' ? rawBody : rawBody === undefined ? '' : JSON.stringify(rawBody);
  const body = result['isBase64Encoded'] === true ? Buffer.from(text, 'base64') : text;
  if (headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  return { status: result['statusCode'], headers, body };
};

const plain = (status: number, message: string, requestId: string): WireResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': message },
  body: JSON.stringify({ Message: message }),
});

/** The function-URL route (see {@link FUNCTION_URL_PREFIX}). */
export const functionUrlRoute = (
  backend: LambdaBackend,
  /** Whether the function has a URL (an `AWS::Lambda::Url` in the app): others answer 404 as AWS would. */
  hasUrl: (functionName: string) => boolean,
  now: () => Date = () => new Date(),
): Route => ({
  name: 'lambda-url',
  maxBodyBytes: MAX_BODY,
  matches: (_method, path) => path.startsWith(FUNCTION_URL_PREFIX),
  errorResponse: (error: AwsError, request) =>
    plain(
      error.status === 413 ? 413 : 500,
      error.status === 413 ? 'Request Too Long' : 'Internal Server Error',
      request.requestId,
    ),
  handle: async (request) => {
    const rest = request.path.slice(FUNCTION_URL_PREFIX.length);
    const slash = rest.indexOf('/');
    const name = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
    const rawPath = slash < 0 ? '/' : rest.slice(slash);
    const fn = backend.get(name);
    if (fn === undefined || !hasUrl(fn.spec.functionName)) return plain(404, 'Not Found', request.requestId);
    const event = functionUrlEvent(request, rawPath, request.query.toString(), now());
    const result = await backend.invoke(fn.spec.functionName, JSON.stringify(event));
    if (result.functionError !== undefined) return plain(502, 'Internal Server Error', request.requestId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.payload);
    } catch {
      return plain(502, 'Internal Server Error', request.requestId);
    }
    return functionUrlResponse(parsed, request.requestId);
  },
});
