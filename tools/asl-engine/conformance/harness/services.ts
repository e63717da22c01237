/**
 * Local stand-ins for the AWS services the recorded cases called, answering as AWS answered: Lambda functions
 * with the recorded behaviours (through `lambda:invoke` and the legacy function ARN), SQS `sendMessage`
 * (request-response and `.waitForTaskToken`, with the recorded callback workers), and EventBridge `putEvents`.
 */
import { createHash, randomUUID } from 'node:crypto';

import { JacksonNumber, parseJsonText } from '../../src/index';
import type { CaseResource, ConformanceCase, Json, LambdaBehaviour } from './cases';

/** What the harness needs from the engine to act as a callback worker. */
export interface CallbackApi {
  sendTaskSuccess(i: { taskToken: string; output: string }): Promise<void>;
  sendTaskFailure(i: { taskToken: string; error?: string; cause?: string }): Promise<void>;
  sendTaskHeartbeat(i: { taskToken: string }): Promise<void>;
}

/** Schedules work at a virtual time. */
export interface Scheduler {
  now(): number;
  setTimer(atEpochMs: number, fn: () => void): unknown;
}

/** A service failure: the Task fails with this error and cause. */
export interface ServiceError {
  readonly error: string;
  readonly cause: string;
}

/** The shape the engine's integration sees. */
export interface Invocation {
  readonly resource: string;
  readonly service: string;
  readonly action: string;
  readonly pattern: 'REQUEST_RESPONSE' | 'RUN_JOB' | 'WAIT_FOR_TASK_TOKEN';
  readonly parameters: unknown;
  /** The parameters as the engine sends them on the wire (numbers as Jackson writes them). */
  readonly parametersText?: string;
  readonly taskToken?: string;
}

/**
 * Python's `repr` of a number `json.loads` read from the wire: an integer digit for digit; a float (a literal with
 * a fraction or exponent, which the engine keeps as a {@link JacksonNumber}) as `0.0`, `100.0`, `1e+16`, `1e-05`.
 */
function pythonNumber(value: number | JacksonNumber): string {
  if (!(value instanceof JacksonNumber)) return Number.isFinite(value) ? String(value) : 'NaN';
  if (!/[.E]/.test(value.text)) return value.text;
  const v = value.valueOf();
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs < 1e-4 || abs >= 1e16) {
    const [mantissa = '', exponent = '0'] = v.toExponential().split('e');
    const exp = Number(exponent);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const text = String(v);
  return text.includes('.') ? text : `${text}.0`;
}

/** Python's `json.dumps` default rendering (`", "` and `": "` separators, ASCII escapes): Lambda's wire bytes. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || value instanceof JacksonNumber) return pythonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`)
    .join(', ')}}`;
}

/** Python's `str()` of a JSON-decoded value (dict repr with single quotes). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || value instanceof JacksonNumber) return pythonNumber(value);
  if (typeof value === 'string')
    return value.includes("'") && !value.includes('"')
      ? `"${value}"`
      : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
    .join(', ')}}`;
}

function functionNameOf(ref: string): string {
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::.+)?$/.exec(ref);
  if (arn) return arn[1] as string;
  return ref.split(':')[0] as string;
}

function lambdaErrorBody(b: LambdaBehaviour, requestId: string): Record<string, Json> {
  const type = b.errorType ?? 'Exception';
  const message = b.errorMessage ?? '';
  const trace =
    type === 'Exception'
      ? `  File "/var/task/handler.py", line 2, in handler\n    raise Exception(${JSON.stringify(message)})\n`
      : `  File "/var/task/handler.py", line 9, in handler\n    raise ${type}()\n`;
  return { errorMessage: message, errorType: type, requestId, stackTrace: [trace] };
}

/** Runs a recorded Lambda behaviour on an event: the function's return value, or its error. */
export function runLambda(
  b: LambdaBehaviour,
  event: unknown,
): { ok: true; value: unknown } | { ok: false; body: Record<string, Json> } {
  switch (b.kind) {
    case 'identity':
      return { ok: true, value: event };
    case 'constant':
      return { ok: true, value: b.value ?? null };
    case 'constant_json_text':
      return { ok: true, value: parseJsonText(b.text ?? 'null') };
    case 'constant_string':
      return { ok: true, value: (b.char ?? 'a').repeat(b.length ?? 0) };
    case 'python_fstring':
      return { ok: true, value: (b.template ?? '{event}').replace('{event}', pythonRepr(event)) };
    case 'raise':
      return { ok: false, body: lambdaErrorBody(b, randomUUID()) };
    default:
      throw new Error(`unknown Lambda behaviour '${b.kind}'`);
  }
}

function lambdaHttpMetadata(payloadBytes: number, requestId: string): Record<string, Json> {
  const date = new Date().toUTCString();
  const trace = `Root=1-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  return {
    AllHttpHeaders: {
      'X-Amz-Executed-Version': ['$LATEST'],
      'x-amzn-Remapped-Content-Length': ['0'],
      Connection: ['keep-alive'],
      'x-amzn-RequestId': [requestId],
      'Content-Length': [String(payloadBytes)],
      Date: [date],
      'X-Amzn-Trace-Id': [trace],
      'Content-Type': ['application/json'],
    },
    HttpHeaders: {
      Connection: 'keep-alive',
      'Content-Length': String(payloadBytes),
      'Content-Type': 'application/json',
      Date: date,
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-Remapped-Content-Length': '0',
      'x-amzn-RequestId': requestId,
      'X-Amzn-Trace-Id': trace,
    },
    HttpStatusCode: 200,
  };
}

function sqsHttpMetadata(bodyBytes: number, requestId: string): Record<string, Json> {
  const date = new Date().toUTCString();
  return {
    AllHttpHeaders: {
      'x-amzn-RequestId': [requestId],
      connection: ['keep-alive'],
      'Content-Length': [String(bodyBytes)],
      Date: [date],
      'Content-Type': ['application/x-amz-json-1.0'],
    },
    HttpHeaders: {
      connection: 'keep-alive',
      'Content-Length': String(bodyBytes),
      'Content-Type': 'application/x-amz-json-1.0',
      Date: date,
      'x-amzn-RequestId': requestId,
    },
    HttpStatusCode: 200,
  };
}

/**
 * SendMessage to a queue URL whose host does not resolve: the Java SDK's client fails before any request, and AWS
 * records `SQS.SdkClientException` with the resolver's words and the host name alone (no scheme, no port).
 * A URL on an SQS endpoint would reach SQS (and answer that the queue does not exist): no recorded case does that,
 * so the harness refuses to guess its answer.
 */
export function unresolvableQueueHost(url: string): ServiceError {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    host = url;
  }
  if (/(^|\.)amazonaws\.com$/.test(host) || host === 'localhost' || host === '127.0.0.1') {
    return {
      error: 'States.Runtime',
      cause: `The conformance harness has no recorded answer for a missing queue on an SQS endpoint (${url}).`,
    };
  }
  return {
    error: 'SQS.SdkClientException',
    cause: `Unable to execute HTTP request: ${host}: Name or service not known`,
  };
}

/** The local cloud of one case: its functions, queues, event bus and callback workers. */
export class LocalServices {
  private readonly functions = new Map<string, LambdaBehaviour>();
  private readonly queues = new Set<string>();
  private readonly tables = new Map<string, { key: string; items: Map<string, Record<string, Json>> }>();
  private readonly workers: string[];
  /** Tokens sent to a queue that no recorded worker answers (the harness may answer them, see `clientWorker`). */
  readonly pendingTokens: string[] = [];

  constructor(
    testCase: ConformanceCase,
    private readonly scheduler: Scheduler,
    private readonly callbacks: () => CallbackApi,
  ) {
    for (const r of testCase.resources) this.register(r);
    this.workers = testCase.resources
      .filter((r) => r.kind.startsWith('worker:'))
      .map((r) => r.kind.slice('worker:'.length));
  }

  private register(r: CaseResource): void {
    if (r.kind === 'lambda' && r.name && r.behaviour) this.functions.set(r.name, r.behaviour);
    if (r.kind === 'sqs' && r.url) this.queues.add(r.url);
    const table = r.kwargs?.['table_name'];
    const key = r.kwargs?.['partition_key'];
    if (r.kind === 'dynamodb' && typeof table === 'string' && typeof key === 'string') {
      this.tables.set(table, { key, items: new Map() });
    }
  }

  /** Performs a Task; resolves with the service result or rejects with a {@link ServiceError}. */
  async invoke(inv: Invocation): Promise<unknown> {
    // What the service receives: the engine's wire text when it gives one (a 0.0 stays a double).
    const sent = inv.parametersText !== undefined ? parseJsonText(inv.parametersText) : inv.parameters;
    if (inv.service === 'lambda-function') return this.invokeLambda(inv.resource, sent, 'legacy');
    if (inv.service === 'lambda' && inv.action === 'invoke') {
      const params = (sent ?? {}) as Record<string, unknown>;
      return this.invokeLambda(String(params['FunctionName']), params['Payload'], 'integration');
    }
    if (inv.service === 'sqs' && inv.action === 'sendMessage') return this.sendMessage(inv);
    if (inv.service === 'events' && inv.action === 'putEvents') return this.putEvents(inv.parameters);
    if (inv.service === 'dynamodb' || inv.service === 'aws-sdk:dynamodb') {
      return this.dynamodb(inv.action, inv.parameters, inv.service === 'dynamodb');
    }
    throw {
      error: 'States.Runtime',
      cause: `The conformance harness has no local '${inv.resource}' service.`,
    } satisfies ServiceError;
  }

  private invokeLambda(ref: string, payload: unknown, via: 'legacy' | 'integration'): unknown {
    const name = functionNameOf(ref);
    const behaviour = this.functions.get(name);
    const requestId = randomUUID();
    if (!behaviour) {
      const arn = ref.startsWith('arn:')
        ? ref.replace(/:\$LATEST$/, '')
        : `arn:aws:lambda:us-east-1:111111111111:function:${name}`;
      throw {
        error: 'Lambda.ResourceNotFoundException',
        cause: `Function not found: ${arn}:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
      } satisfies ServiceError;
    }
    // lambda:invoke sends a string Payload as the request body itself (so "0.0" reaches Python as the float 0.0).
    // No Payload (or a null one) invokes the function with an empty object, as Lambda's Invoke without a body does.
    let event: unknown = payload === undefined || (payload === null && via === 'integration') ? {} : payload;
    if (via === 'integration' && typeof payload === 'string') {
      try {
        event = parseJsonText(payload);
      } catch {
        event = payload;
      }
    }
    const run = runLambda(behaviour, event);
    if (!run.ok) {
      const cause = via === 'legacy' ? pythonJson(run.body) : JSON.stringify(run.body);
      throw { error: String(run.body['errorType']), cause } satisfies ServiceError;
    }
    // The function's response bytes (Python's json.dumps), read back as AWS reads them.
    const wire = pythonJson(run.value);
    if (via === 'legacy') return parseJsonText(wire);
    const bytes = Buffer.byteLength(wire, 'utf8');
    return {
      ExecutedVersion: '$LATEST',
      Payload: parseJsonText(wire),
      SdkHttpMetadata: lambdaHttpMetadata(bytes, requestId),
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
  }

  private sendMessage(inv: Invocation): unknown {
    const params = (inv.parameters ?? {}) as Record<string, unknown>;
    const url = String(params['QueueUrl']);
    if (!this.queues.has(url)) throw unresolvableQueueHost(url);
    const raw = params['MessageBody'];
    const body = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const md5 = createHash('md5').update(body, 'utf8').digest('hex');
    const messageId = randomUUID();
    const requestId = randomUUID();
    const response = { MD5OfMessageBody: md5, MessageId: messageId };
    if (inv.pattern === 'WAIT_FOR_TASK_TOKEN' && inv.taskToken !== undefined)
      this.deliver(body, inv.taskToken);
    return {
      ...response,
      SdkHttpMetadata: sqsHttpMetadata(Buffer.byteLength(JSON.stringify(response)), requestId),
      SdkResponseMetadata: { RequestId: requestId },
    };
  }

  /** A queue message for a callback: the recorded worker reads it (1 s poll) and answers with its token. */
  private deliver(body: string, token: string): void {
    const worker = this.workers[0];
    if (worker === undefined) {
      this.pendingTokens.push(token);
      return;
    }
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const api = this.callbacks();
    const at = (seconds: number, fn: () => Promise<void>): void => {
      this.scheduler.setTimer(this.scheduler.now() + seconds * 1000, () => {
        fn().catch(() => undefined);
      });
    };
    if (worker === 'sqs_send_task_success') {
      at(1, () =>
        api.sendTaskSuccess({ taskToken: token, output: JSON.stringify(parsed['Message'] ?? null) }),
      );
    } else if (worker === 'sqs_send_task_failure') {
      at(1, () => api.sendTaskFailure({ taskToken: token, error: 'Failure error', cause: 'Failure cause' }));
    } else if (worker === 'sqs_send_heartbeat_and_task_success') {
      at(6, async () => {
        await api.sendTaskHeartbeat({ taskToken: token });
        await api.sendTaskSuccess({ taskToken: token, output: JSON.stringify(parsed['Message'] ?? null) });
      });
    } else {
      this.pendingTokens.push(token);
    }
  }

  /**
   * DynamoDB putItem/getItem/deleteItem. The optimised integration (`dynamodb:`) answers with the SDK's HTTP
   * metadata and Java-SDK-v1 error text; the AWS SDK integration (`aws-sdk:dynamodb:`) with SDK-v2 error text.
   */
  private dynamodb(action: string, parameters: unknown, optimised: boolean): unknown {
    const params = (parameters ?? {}) as Record<string, Json>;
    const requestId = randomUUID();
    const fail = (code: string, message: string): never => {
      throw (
        optimised
          ? {
              error: `DynamoDB.${code}`,
              cause: `${message} (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`,
            }
          : {
              error: code === 'ValidationException' ? 'DynamoDb.DynamoDbException' : `DynamoDb.${code}`,
              cause: `${message} (Service: DynamoDb, Status Code: 400, Request ID: ${requestId})`,
            }
      ) satisfies ServiceError;
    };
    const field = action === 'putItem' ? 'Item' : 'Key';
    const subject = params[field];
    if (subject === null || subject === undefined) {
      fail(
        'ValidationException',
        `1 validation error detected: Value null at '${field.toLowerCase()}' failed to satisfy constraint: Member must not be null`,
      );
    }
    const table = this.tables.get(String(params['TableName']));
    if (!table) return fail('ResourceNotFoundException', 'Requested resource not found');
    const record = subject as Record<string, Json>;
    const id = JSON.stringify(record[table.key] ?? null);
    let body: Record<string, Json> = {};
    if (action === 'putItem') table.items.set(id, record);
    else if (action === 'deleteItem') table.items.delete(id);
    else if (action === 'getItem') {
      const item = table.items.get(id);
      body = item ? { Item: item } : {};
    } else {
      throw {
        error: 'States.Runtime',
        cause: `The conformance harness has no local DynamoDB '${action}'.`,
      } satisfies ServiceError;
    }
    if (!optimised) return body;
    const bytes = Buffer.byteLength(JSON.stringify(body));
    const date = new Date().toUTCString();
    const crc = '1234567890';
    const requestIdHeader = action === 'getItem' ? 'x-amzn-requestid' : 'x-amzn-RequestId';
    return {
      ...body,
      SdkHttpMetadata: {
        AllHttpHeaders: {
          Server: ['Server'],
          [requestIdHeader]: [requestId],
          Connection: ['keep-alive'],
          'x-amz-crc32': [crc],
          'Content-Length': [String(bytes)],
          Date: [date],
          'Content-Type': ['application/x-amz-json-1.0'],
        },
        HttpHeaders: {
          Connection: 'keep-alive',
          'Content-Length': String(bytes),
          'Content-Type': 'application/x-amz-json-1.0',
          Date: date,
          Server: 'Server',
          'x-amz-crc32': crc,
          [requestIdHeader]: requestId,
        },
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: requestId },
    };
  }

  private putEvents(parameters: unknown): unknown {
    const entries = ((parameters ?? {}) as Record<string, unknown>)['Entries'];
    const list = Array.isArray(entries) ? (entries as Record<string, unknown>[]) : [];
    let failed = 0;
    const results = list.map((e): Record<string, Json> => {
      if (typeof e['Source'] !== 'string' || e['Source'] === '') {
        failed++;
        return {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
        };
      }
      const detail = e['Detail'];
      if (typeof detail === 'string') {
        let ok = false;
        try {
          const v = JSON.parse(detail) as unknown;
          ok = typeof v === 'object' && v !== null && !Array.isArray(v);
        } catch {
          ok = false;
        }
        if (!ok) {
          failed++;
          return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
        }
      }
      return { EventId: randomUUID() };
    });
    const response = { Entries: results, FailedEntryCount: failed };
    if (failed > 0)
      throw { error: 'EventBridge.FailedEntry', cause: JSON.stringify(response) } satisfies ServiceError;
    return response;
  }
}
