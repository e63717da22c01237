import { randomUUID } from 'node:crypto';
import {
  DeleteItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  type Integration,
  type IntegrationRegistry,
  type JsonValue,
  TaskFailure,
  type TaskInvocation,
} from '@flow/asl-engine';
import { type LambdaRuntime, LambdaServiceError } from '../lambda';
import { type SqsService, SqsError } from '../sqs';
import {
  asTextParameter,
  isJsonObject,
  type JsonObject,
  sdkMetadata,
  serviceExceptionCause,
} from './aws-shapes';

/** One PutEvents entry as the EventBridge API takes it. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string | number | Date;
  TraceHeader?: string;
}

/** What the `events:putEvents` integration needs of the EventBridge service. */
export interface PutEventsPort {
  putEvents(input: {
    Entries: PutEventsEntry[];
  }):
    | Promise<{ FailedEntryCount?: number; Entries?: unknown[] }>
    | { FailedEntryCount?: number; Entries?: unknown[] };
}

/** The services the integrations call. */
export interface IntegrationDeps {
  lambda: LambdaRuntime;
  sqs: SqsService;
  /** Absent until the EventBridge service is wired (then `events:putEvents` fails with a clear error). */
  events?: PutEventsPort | undefined;
  /** A DynamoDB client on the local endpoint. */
  dynamodb?: DynamoDBClient | undefined;
}

const params = (inv: TaskInvocation): JsonObject => (isJsonObject(inv.parameters) ? inv.parameters : {});

const requireString = (inv: TaskInvocation, name: string): string => {
  const value = params(inv)[name];
  if (typeof value !== 'string' || value === '') {
    throw new TaskFailure(
      'States.Runtime',
      `The ${name} parameter of ${inv.resource} is required and must be a string (state '${inv.stateName}')`,
    );
  }
  return value;
};

const parseJson = (text: string): JsonValue => {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
};

const lambdaFailure = (error: unknown): TaskFailure => {
  if (error instanceof LambdaServiceError) {
    return new TaskFailure(
      `Lambda.${error.code}`,
      serviceExceptionCause('AWSLambda', error.code, error.message, error.status),
    );
  }
  return new TaskFailure('Lambda.ServiceException', error instanceof Error ? error.message : String(error));
};

/** The error name Step Functions reports for a Lambda function error: the payload's errorType. */
const functionErrorName = (payload: string): string => {
  const parsed = parseJson(payload);
  return isJsonObject(parsed) && typeof parsed['errorType'] === 'string'
    ? parsed['errorType']
    : 'Lambda.Unknown';
};

/** `arn:aws:states:::lambda:invoke`: Payload in, `{ExecutedVersion, Payload, StatusCode, SdkHttpMetadata...}` out. */
const lambdaInvoke =
  (deps: IntegrationDeps): Integration =>
  async (inv) => {
    const p = params(inv);
    const functionName = requireString(inv, 'FunctionName');
    const qualifier = typeof p['Qualifier'] === 'string' ? `:${p['Qualifier']}` : '';
    const payload = p['Payload'] === undefined ? '{}' : JSON.stringify(p['Payload']);
    const invocationType =
      p['InvocationType'] === 'Event' || p['InvocationType'] === 'DryRun'
        ? p['InvocationType']
        : 'RequestResponse';
    let result;
    try {
      result = await deps.lambda.invoke(`${functionName}${qualifier}`, payload, {
        invocationType,
        executionArn: inv.execution.executionArn,
        signal: inv.signal,
        ...(inv.execution.traceHeader === undefined ? {} : { traceHeader: inv.execution.traceHeader }),
      });
    } catch (error) {
      throw lambdaFailure(error);
    }
    if (result.functionError !== undefined) {
      throw new TaskFailure(functionErrorName(result.payload), result.payload);
    }
    return {
      ExecutedVersion: result.executedVersion,
      Payload: result.payload === '' ? '' : parseJson(result.payload),
      ...sdkMetadata(
        'application/json',
        result.payload,
        { 'X-Amz-Executed-Version': '$LATEST' },
        result.requestId,
      ),
      StatusCode: result.statusCode,
    };
  };

/** A bare Lambda function ARN as Resource: the effective input is the payload, the function's result the output. */
const legacyLambda =
  (deps: IntegrationDeps): Integration =>
  async (inv) => {
    let result;
    try {
      result = await deps.lambda.invoke(inv.resource, JSON.stringify(inv.parameters), {
        executionArn: inv.execution.executionArn,
        signal: inv.signal,
        ...(inv.execution.traceHeader === undefined ? {} : { traceHeader: inv.execution.traceHeader }),
      });
    } catch (error) {
      throw lambdaFailure(error);
    }
    if (result.functionError !== undefined)
      throw new TaskFailure(functionErrorName(result.payload), result.payload);
    return parseJson(result.payload);
  };

const sqsFailure = (error: unknown): TaskFailure => {
  if (error instanceof SqsError) {
    const code = error.code.endsWith('Exception') ? error.code : `${error.code}Exception`;
    return new TaskFailure(
      `SQS.${code}`,
      serviceExceptionCause('AmazonSQS', error.queryCode, error.message, error.status),
    );
  }
  return new TaskFailure('SQS.AmazonSQSException', error instanceof Error ? error.message : String(error));
};

/** `sqs:sendMessage` (+ `.waitForTaskToken`): an object MessageBody is sent as its JSON text, as AWS does. */
const sqsSendMessage =
  (deps: IntegrationDeps): Integration =>
  async (inv) => {
    const p = params(inv);
    const queueUrl = requireString(inv, 'QueueUrl');
    const body = asTextParameter(p['MessageBody']);
    if (body === undefined) {
      throw new TaskFailure('States.Runtime', `The MessageBody parameter of ${inv.resource} is required`);
    }
    const attributes = p['MessageAttributes'];
    try {
      const output = deps.sqs.sendMessage({
        QueueUrl: queueUrl,
        MessageBody: body,
        ...(typeof p['DelaySeconds'] === 'number' ? { DelaySeconds: p['DelaySeconds'] } : {}),
        ...(isJsonObject(attributes)
          ? {
              MessageAttributes: attributes as unknown as Record<
                string,
                { DataType: string; StringValue?: string }
              >,
            }
          : {}),
        ...(typeof p['MessageGroupId'] === 'string' ? { MessageGroupId: p['MessageGroupId'] } : {}),
        ...(typeof p['MessageDeduplicationId'] === 'string'
          ? { MessageDeduplicationId: p['MessageDeduplicationId'] }
          : {}),
        ...(inv.execution.traceHeader === undefined
          ? {}
          : {
              MessageSystemAttributes: {
                AWSTraceHeader: { DataType: 'String', StringValue: inv.execution.traceHeader },
              },
            }),
      });
      const result: JsonObject = { MD5OfMessageBody: output.MD5OfMessageBody, MessageId: output.MessageId };
      if (output.MD5OfMessageAttributes !== undefined)
        result['MD5OfMessageAttributes'] = output.MD5OfMessageAttributes;
      if (output.SequenceNumber !== undefined) result['SequenceNumber'] = output.SequenceNumber;
      return { ...result, ...sdkMetadata('text/xml', JSON.stringify(result)) };
    } catch (error) {
      throw sqsFailure(error);
    }
  };

/** `events:putEvents`: Detail objects are sent as JSON text; a failed entry fails the task as AWS does. */
const eventsPutEvents =
  (deps: IntegrationDeps): Integration =>
  async (inv) => {
    const events = deps.events;
    if (events === undefined) {
      throw new TaskFailure(
        'EventBridge.InternalException',
        'The local EventBridge service is not available',
      );
    }
    const entries = params(inv)['Entries'];
    if (!Array.isArray(entries)) {
      throw new TaskFailure(
        'States.Runtime',
        `The Entries parameter of ${inv.resource} is required and must be a list`,
      );
    }
    const request: PutEventsEntry[] = entries.filter(isJsonObject).map((entry) => {
      const out: PutEventsEntry = {};
      const detail = asTextParameter(entry['Detail']);
      if (detail !== undefined) out.Detail = detail;
      if (typeof entry['DetailType'] === 'string') out.DetailType = entry['DetailType'];
      if (typeof entry['Source'] === 'string') out.Source = entry['Source'];
      if (typeof entry['EventBusName'] === 'string') out.EventBusName = entry['EventBusName'];
      if (Array.isArray(entry['Resources'])) out.Resources = entry['Resources'].map(String);
      if (typeof entry['Time'] === 'string' || typeof entry['Time'] === 'number') out.Time = entry['Time'];
      const trace = entry['TraceHeader'] ?? inv.execution.traceHeader;
      if (typeof trace === 'string') out.TraceHeader = trace;
      return out;
    });
    let output;
    try {
      output = await events.putEvents({ Entries: request });
    } catch (error) {
      const code = error instanceof Error ? error.name : 'InternalException';
      throw new TaskFailure(`EventBridge.${code}`, error instanceof Error ? error.message : String(error));
    }
    const result: JsonObject = {
      Entries: JSON.parse(JSON.stringify(output.Entries ?? [])) as JsonValue[],
      FailedEntryCount: output.FailedEntryCount ?? 0,
    };
    if ((output.FailedEntryCount ?? 0) > 0) {
      throw new TaskFailure('EventBridge.FailedEntry', JSON.stringify(result));
    }
    return { ...result, ...sdkMetadata('application/x-amz-json-1.1', JSON.stringify(result)) };
  };

/** Turns SDK output values into JSON (binary → base64) and drops `$metadata`. */
const toJson = (value: unknown): JsonValue => {
  const text = JSON.stringify(value, (key, inner: unknown) => {
    if (key === '$metadata') return undefined;
    if (inner instanceof Uint8Array) return Buffer.from(inner).toString('base64');
    if (inner instanceof Set) return [...(inner as Set<unknown>)];
    return inner;
  });
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
};

/** `dynamodb:getItem|putItem|updateItem|deleteItem` against the local DynamoDB. */
const dynamodbItem =
  (deps: IntegrationDeps, action: 'getItem' | 'putItem' | 'updateItem' | 'deleteItem'): Integration =>
  async (inv) => {
    const client = deps.dynamodb;
    if (client === undefined) {
      throw new TaskFailure('DynamoDB.InternalServerErrorException', 'The local DynamoDB is not available');
    }
    const input = params(inv);
    try {
      const output =
        action === 'getItem'
          ? await client.send(new GetItemCommand(input as unknown as GetItemCommandInput))
          : action === 'putItem'
            ? await client.send(new PutItemCommand(input as unknown as PutItemCommandInput))
            : action === 'updateItem'
              ? await client.send(new UpdateItemCommand(input as unknown as UpdateItemCommandInput))
              : await client.send(new DeleteItemCommand(input as unknown as DeleteItemCommandInput));
      const result = toJson(output);
      const body = JSON.stringify(result);
      return { ...(isJsonObject(result) ? result : {}), ...sdkMetadata('application/x-amz-json-1.0', body) };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'InternalServerError';
      const message = error instanceof Error ? error.message : String(error);
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 400;
      throw new TaskFailure(
        `DynamoDB.${name.endsWith('Exception') ? name : `${name}Exception`}`,
        serviceExceptionCause(
          'AmazonDynamoDBv2',
          name,
          message,
          status,
          randomUUID().replaceAll('-', '').toUpperCase(),
        ),
      );
    }
  };

/**
 * The engine's integrations for the local cloud: `lambda:invoke` and bare function ARNs (the Lambda runtime),
 * `sqs:sendMessage[.waitForTaskToken]` (the SQS service), `events:putEvents` (EventBridge) and
 * `dynamodb:getItem/putItem/updateItem/deleteItem` (dynalite). `states:startExecution[.sync[:2]]` is left to the
 * engine itself (it answers for resources nobody registers).
 */
export const createIntegrations = (deps: IntegrationDeps): IntegrationRegistry => {
  const table = new Map<string, Integration>([
    ['lambda:invoke', lambdaInvoke(deps)],
    ['lambda-function:invoke', legacyLambda(deps)],
    ['sqs:sendMessage', sqsSendMessage(deps)],
    ['events:putEvents', eventsPutEvents(deps)],
    ['dynamodb:getItem', dynamodbItem(deps, 'getItem')],
    ['dynamodb:putItem', dynamodbItem(deps, 'putItem')],
    ['dynamodb:updateItem', dynamodbItem(deps, 'updateItem')],
    ['dynamodb:deleteItem', dynamodbItem(deps, 'deleteItem')],
  ]);
  return {
    resolve: (inv) => {
      const integration = table.get(`${inv.service}:${inv.action}`);
      if (integration === undefined) return undefined;
      // .sync is only meaningful for states:startExecution (and jobs we do not run); the rest are request/response
      // or callback tasks.
      if (inv.pattern === 'RUN_JOB') return undefined;
      return integration;
    },
  };
};
