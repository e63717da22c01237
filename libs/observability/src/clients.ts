import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './powertools';

/**
 * AWS SDK v3 clients, one per function instance (created on first use, reused across invocations), each captured
 * by the Tracer so every call is an X-Ray subsegment. Region and endpoint come from the SDK's own configuration
 * chain: `AWS_REGION`, and `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_<SERVICE>`) for the local cloud.
 *
 * `cacheMiddleware: true` resolves each command type's middleware stack once per client instead of on every call
 * (the stack is complete when the client is built: the Tracer adds its middleware in `captureAWSv3Client`, and the
 * Powertools idempotency layer adds its user agent when it is constructed, before any call). Measured with a PutItem
 * against a loopback endpoint: ≈ 610–1,000 → 480–520 µs of CPU per call. The DocumentClient is the one exception:
 * `@aws-sdk/lib-dynamodb` refuses to wrap a client that caches middleware, so it gets its own low-level client.
 */

/** Options every client here is built with. */
const clientConfig = { cacheMiddleware: true } as const;

let sfn: SFNClient | undefined;
let sqs: SQSClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let dynamoDb: DynamoDBClient | undefined;
let documentBase: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

/** Step Functions (SendTaskSuccess/Failure/Heartbeat). */
export const getSfnClient = (): SFNClient => (sfn ??= tracer.captureAWSv3Client(new SFNClient(clientConfig)));

/** SQS. */
export const getSqsClient = (): SQSClient => (sqs ??= tracer.captureAWSv3Client(new SQSClient(clientConfig)));

/** EventBridge (PutEvents). */
export const getEventBridgeClient = (): EventBridgeClient =>
  (eventBridge ??= tracer.captureAWSv3Client(new EventBridgeClient(clientConfig)));

/** DynamoDB (low-level; also what the Powertools idempotency persistence layer is given). */
export const getDynamoDbClient = (): DynamoDBClient =>
  (dynamoDb ??= tracer.captureAWSv3Client(new DynamoDBClient(clientConfig)));

/**
 * DynamoDB DocumentClient (plain JS values; `undefined` attributes dropped) over a traced low-level client of its
 * own: lib-dynamodb shares that client's middleware stack, which must not be cached (see above).
 */
export const getDocumentClient = (): DynamoDBDocumentClient =>
  (documentClient ??= DynamoDBDocumentClient.from(
    (documentBase ??= tracer.captureAWSv3Client(new DynamoDBClient({}))),
    { marshallOptions: { removeUndefinedValues: true } },
  ));
