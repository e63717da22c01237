import type { EventBridgeEvent, LambdaFunctionURLEvent, SQSEvent, SQSRecord } from 'aws-lambda';

/** Options of {@link buildEventBridgeEvent}. */
export interface EventBridgeEventOptions<TDetail> {
  detailType: string;
  source: string;
  detail: TDetail;
  /** @default - `'11111111-2222-3333-4444-555555555555'` */
  id?: string;
  /** @default - `'2026-11-24T09:30:01Z'` */
  time?: string;
}

/** An EventBridge event as a rule target (Step Functions, Lambda) receives it. */
export const buildEventBridgeEvent = <TDetail>({
  detailType,
  source,
  detail,
  id = '11111111-2222-3333-4444-555555555555',
  time = '2026-11-24T09:30:01Z',
}: EventBridgeEventOptions<TDetail>): EventBridgeEvent<string, TDetail> => ({
  version: '0',
  id,
  'detail-type': detailType,
  source,
  account: '000000000000',
  time,
  region: 'us-east-1',
  resources: [],
  detail,
});

/** Options of {@link buildSqsRecord}. */
export interface SqsRecordOptions {
  /** @default - `msg-<n>` */
  messageId?: string;
  /** @default - `'approvals'` */
  queueName?: string;
  /** X-Ray trace header (the `AWSTraceHeader` system attribute). */
  traceHeader?: string;
  /** @default - `'1'` */
  receiveCount?: string;
}

let sqsSequence = 0;

/** An SQS record as an event source mapping delivers it; `body` objects are JSON-encoded. */
export const buildSqsRecord = (body: unknown, options: SqsRecordOptions = {}): SQSRecord => {
  sqsSequence += 1;
  const queueName = options.queueName ?? 'approvals';
  return {
    messageId: options.messageId ?? `msg-${sqsSequence}`,
    receiptHandle: `receipt-${sqsSequence}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: options.receiveCount ?? '1',
      SentTimestamp: '1795512601000',
      SenderId: 'AROAEXAMPLE:states',
      ApproximateFirstReceiveTimestamp: '1795512601010',
      ...(options.traceHeader === undefined ? {} : { AWSTraceHeader: options.traceHeader }),
    },
    messageAttributes: {},
    md5OfBody: '00000000000000000000000000000000',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queueName}`,
    awsRegion: 'us-east-1',
  };
};

/** An SQS event with one record per body. */
export const buildSqsEvent = (
  bodies: readonly unknown[],
  options: Omit<SqsRecordOptions, 'messageId'> = {},
): SQSEvent => ({
  Records: bodies.map((body) => buildSqsRecord(body, options)),
});

/** Options of {@link buildFunctionUrlEvent}. */
export interface FunctionUrlEventOptions {
  method: string;
  /** Path with an optional query string, e.g. `/approvals?status=pending`. */
  path: string;
  headers?: Record<string, string>;
  /** Objects are JSON-encoded and `content-type: application/json` is set. */
  body?: unknown;
}

/** A Lambda function URL (payload format 2.0) request event. */
export const buildFunctionUrlEvent = ({
  method,
  path,
  headers = {},
  body,
}: FunctionUrlEventOptions): LambdaFunctionURLEvent => {
  const [rawPath = '/', rawQueryString = ''] = path.split('?', 2);
  const queryStringParameters = Object.fromEntries(new URLSearchParams(rawQueryString));
  const isJson = body !== undefined && typeof body !== 'string';
  const allHeaders: Record<string, string> = {
    host: 'abcdefghij.lambda-url.us-east-1.on.aws',
    ...(isJson ? { 'content-type': 'application/json' } : {}),
    ...Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value])),
  };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: allHeaders,
    ...(rawQueryString === '' ? {} : { queryStringParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'abcdefghij',
      domainName: 'abcdefghij.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghij',
      http: {
        method: method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'jest',
      },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '24/Nov/2026:09:30:01 +0000',
      timeEpoch: 1795512601000,
    },
    ...(body === undefined ? {} : { body: isJson ? JSON.stringify(body) : String(body) }),
    isBase64Encoded: false,
  };
};
