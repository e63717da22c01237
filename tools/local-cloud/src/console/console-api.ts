import { randomUUID } from 'node:crypto';
import { EngineError, type ExecutionStatus, type HistoryEvent } from '@flow/asl-engine';
import { LOCAL_USERS } from '@flow/contracts';
import { functionUrlRoute } from '../api/function-url';
import { issueToken } from '../cli/identity';
import { type LocalCloud } from '../cloud';
import { EventBridgeError } from '../events';
import { SqsError } from '../sqs';
import { redactTaskTokens } from './redact';

/** A console API answer: an HTTP status and a JSON body. */
export interface ConsoleReply {
  readonly status: number;
  readonly body: unknown;
}

/** A console API request (path below `/_console/api`, query, parsed JSON body). */
export interface ConsoleRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

const ok = (body: unknown): ConsoleReply => ({ status: 200, body });
const bad = (message: string, field?: string): ConsoleReply => ({
  status: 400,
  body: { error: 'ValidationError', message, ...(field === undefined ? {} : { fields: [field] }) },
});
const notFound = (message: string): ConsoleReply => ({ status: 404, body: { error: 'NotFound', message } });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Maps a service error (engine, SQS, EventBridge) to a reply carrying the AWS error code. */
const serviceError = (error: unknown): ConsoleReply => {
  if (error instanceof EngineError || error instanceof SqsError || error instanceof EventBridgeError) {
    const notFoundCodes = /NotExist|NotFound|NonExistent/;
    return {
      status: notFoundCodes.test(error.code) ? 404 : 400,
      body: { error: error.code, message: error.message },
    };
  }
  throw error;
};

const pageSize = (raw: string | null): number | ConsoleReply => {
  if (raw === null || raw === '') return 50;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 500
    ? n
    : bad('limit must be an integer from 1 to 500', 'limit');
};

/**
 * The console's JSON API over a running {@link LocalCloud}. Every answer that could carry a task token (history,
 * message bodies, approvals) goes through {@link redactTaskTokens}; approvals are fetched from the approval-api
 * function URL with a bearer token minted here for the chosen local user, so neither token reaches the page.
 */
export class ConsoleApi {
  private readonly callFunctionUrl;

  constructor(private readonly cloud: LocalCloud) {
    const urls = new Set(cloud.picture.functionUrls.map((u) => u.functionName));
    this.callFunctionUrl = functionUrlRoute(cloud.lambda, (name) => urls.has(name));
  }

  /** Answers one request; unknown paths are 404. */
  async handle(request: ConsoleRequest): Promise<ConsoleReply> {
    const { method, path } = request;
    try {
      if (method === 'GET' && path === '/overview') return ok(this.overview());
      if (method === 'GET' && path === '/state-machines') return ok(await this.stateMachines());
      if (method === 'GET' && path === '/executions') return await this.executions(request.query);
      if (method === 'GET' && path === '/execution') return await this.execution(request.query);
      if (method === 'POST' && path === '/execution/stop') return await this.stop(request.body);
      if (method === 'POST' && path === '/execution/redrive') return await this.redrive(request.body);
      if (method === 'GET' && path === '/users') return ok(LOCAL_USERS);
      if (method === 'GET' && path === '/approvals') return await this.approvals(request.query);
      if (method === 'GET' && path === '/approvals/audit') return await this.audit(request.query);
      if (method === 'POST' && path === '/approvals/decision') return await this.decide(request.body);
      if (method === 'GET' && path === '/queues') return ok(this.cloud.sqs.stats());
      if (method === 'GET' && path === '/queues/messages') return this.messages(request.query);
      if (method === 'POST' && path === '/queues/redrive') return this.redriveQueue(request.body);
      if (method === 'GET' && path === '/events') return ok(this.recentEvents(request.query));
      if (method === 'POST' && path === '/events/replay') return this.replay(request.body);
    } catch (error) {
      return serviceError(error);
    }
    return notFound(`No console API at ${method} ${path}`);
  }

  private overview(): unknown {
    return {
      endpoint: this.cloud.endpoint,
      stateMachines: this.cloud.picture.stateMachines.length,
      queues: this.cloud.picture.queues.length,
      functions: this.cloud.picture.functions.length,
    };
  }

  private async stateMachines(): Promise<unknown> {
    const out: unknown[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.cloud.engine.listStateMachines({
        maxResults: 1000,
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      for (const item of page.stateMachines) {
        const described = await this.cloud.engine.describeStateMachine({
          stateMachineArn: item.stateMachineArn,
        });
        out.push({
          name: described.name,
          stateMachineArn: described.stateMachineArn,
          type: described.type,
          definition: JSON.parse(described.definition) as unknown,
        });
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return out;
  }

  /** One page of executions, newest first (paginated here: the page never holds the whole list). */
  private async executions(query: URLSearchParams): Promise<ConsoleReply> {
    const limit = pageSize(query.get('limit'));
    if (typeof limit !== 'number') return limit;
    const status = query.get('status') ?? '';
    if (status !== '' && !EXECUTION_STATUSES.includes(status as ExecutionStatus)) {
      return bad(`status must be one of ${EXECUTION_STATUSES.join(', ')}`, 'status');
    }
    const stateMachineArn = query.get('stateMachineArn') ?? '';
    const nextToken = query.get('nextToken') ?? '';
    const page = await this.cloud.engine.listExecutions({
      maxResults: limit,
      ...(stateMachineArn === '' ? {} : { stateMachineArn }),
      ...(status === '' ? {} : { statusFilter: status as ExecutionStatus }),
      ...(nextToken === '' ? {} : { nextToken }),
    });
    return ok(page);
  }

  private async execution(query: URLSearchParams): Promise<ConsoleReply> {
    const executionArn = query.get('arn') ?? '';
    if (executionArn === '') return bad('arn is required', 'arn');
    const engine = this.cloud.engine;
    const described = await engine.describeExecution({ executionArn });
    const machine = await engine.describeStateMachine({ stateMachineArn: described.stateMachineArn });
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await engine.getExecutionHistory({
        executionArn,
        maxResults: 1000,
        ...(nextToken === undefined ? {} : { nextToken }),
      });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return ok(
      redactTaskTokens({
        execution: described,
        stateMachine: {
          name: machine.name,
          stateMachineArn: machine.stateMachineArn,
          type: machine.type,
          definition: JSON.parse(machine.definition) as unknown,
        },
        events,
      }),
    );
  }

  private arnOf(body: unknown): string | ConsoleReply {
    if (!isRecord(body) || typeof body['executionArn'] !== 'string' || body['executionArn'] === '') {
      return bad('executionArn is required', 'executionArn');
    }
    return body['executionArn'];
  }

  private async stop(body: unknown): Promise<ConsoleReply> {
    const executionArn = this.arnOf(body);
    if (typeof executionArn !== 'string') return executionArn;
    const result = await this.cloud.engine.stopExecution({
      executionArn,
      error: 'Console.Stopped',
      cause: 'Stopped from the local console',
    });
    return ok(result);
  }

  private async redrive(body: unknown): Promise<ConsoleReply> {
    const executionArn = this.arnOf(body);
    if (typeof executionArn !== 'string') return executionArn;
    return ok(await this.cloud.engine.redriveExecution({ executionArn }));
  }

  // ---------------------------------------------------------------------------------------------- approvals

  private approvalFunction(): string | undefined {
    const urls = this.cloud.picture.functionUrls.map((u) => u.functionName);
    return urls.find((name) => /approval/i.test(name)) ?? urls[0];
  }

  private user(raw: unknown): string | ConsoleReply {
    const known = LOCAL_USERS.map((u) => u.sub);
    if (typeof raw !== 'string' || !known.includes(raw)) {
      return bad(`user must be one of ${known.join(', ')}`, 'user');
    }
    return raw;
  }

  /** Calls the approvals API as `user` (token minted here, never sent to the page). */
  private async approvalsApi(
    user: string,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<ConsoleReply> {
    const fn = this.approvalFunction();
    if (fn === undefined) return notFound('The app has no approvals API (no function URL)');
    const token = await issueToken(this.cloud.dataDir, user, 300);
    const [pathname = '', search = ''] = path.split('?');
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
    const response = await this.callFunctionUrl.handle({
      method,
      path: `/_url/${encodeURIComponent(fn)}${pathname}`,
      query: new URLSearchParams(search),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        host: '127.0.0.1',
        'user-agent': 'local-console',
      },
      body: payload,
      requestId: randomUUID(),
      signal: new AbortController().signal,
      endpoint: this.cloud.endpoint,
    });
    const text = response.body.toString();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      // not JSON: pass the text on
    }
    return { status: response.status, body: redactTaskTokens(parsed) };
  }

  private async approvals(query: URLSearchParams): Promise<ConsoleReply> {
    const user = this.user(query.get('user'));
    if (typeof user !== 'string') return user;
    const status = query.get('status') ?? 'pending';
    if (!/^[a-z]+$/.test(status)) return bad('status must be a word such as pending or decided', 'status');
    const cursor = query.get('cursor');
    const params = new URLSearchParams({ status, limit: '50', ...(cursor === null ? {} : { cursor }) });
    return this.approvalsApi(user, 'GET', `/approvals?${params.toString()}`);
  }

  private async audit(query: URLSearchParams): Promise<ConsoleReply> {
    const user = this.user(query.get('user'));
    if (typeof user !== 'string') return user;
    const id = query.get('approvalId') ?? '';
    if (id === '') return bad('approvalId is required', 'approvalId');
    return this.approvalsApi(user, 'GET', `/approvals/${encodeURIComponent(id)}/audit`);
  }

  private async decide(body: unknown): Promise<ConsoleReply> {
    if (!isRecord(body)) return bad('the body must be a JSON object', 'body');
    const user = this.user(body['user']);
    if (typeof user !== 'string') return user;
    const id = body['approvalId'];
    if (typeof id !== 'string' || id === '') return bad('approvalId is required', 'approvalId');
    return this.approvalsApi(user, 'POST', `/approvals/${encodeURIComponent(id)}/decision`, {
      decision: body['decision'],
      comment: body['comment'],
    });
  }

  // ---------------------------------------------------------------------------------------------- queues, events

  private messages(query: URLSearchParams): ConsoleReply {
    const queue = query.get('queue') ?? '';
    if (queue === '') return bad('queue is required', 'queue');
    return ok(redactTaskTokens(this.cloud.sqs.peek(queue, { limit: 50 })));
  }

  private redriveQueue(body: unknown): ConsoleReply {
    if (!isRecord(body) || typeof body['queue'] !== 'string') return bad('queue is required', 'queue');
    const source = this.cloud.sqs.stats().find((q) => q.name === body['queue']);
    if (source === undefined) return notFound(`Queue ${body['queue']} does not exist`);
    // A DLQ with one source queue redrives there, also messages that were sent to the DLQ directly (those have no
    // source to go back to); with several sources, each message goes back to where it came from.
    const only = source.deadLetterSourceQueues.length === 1 ? source.deadLetterSourceQueues[0] : undefined;
    return ok(
      this.cloud.sqs.startMessageMoveTask({
        SourceArn: source.arn,
        ...(only === undefined ? {} : { DestinationArn: this.cloud.sqs.queueArn(only) }),
      }),
    );
  }

  private recentEvents(query: URLSearchParams): unknown {
    const bus = query.get('bus') ?? '';
    const events = this.cloud.events.recentEvents({
      limit: 100,
      ...(bus === '' ? {} : { eventBusName: bus }),
    });
    return redactTaskTokens({
      buses: this.cloud.events.listEventBuses().EventBuses.map((b) => b.Name),
      archives: this.cloud.events.listArchives().Archives,
      replays: this.cloud.events.listReplays().Replays,
      events,
    });
  }

  /** Replays one archived event (a replay over a 1 ms window around its time) to the archive's bus. */
  private replay(body: unknown): ConsoleReply {
    if (!isRecord(body) || typeof body['archiveName'] !== 'string') {
      return bad('archiveName is required', 'archiveName');
    }
    if (typeof body['eventId'] !== 'string') return bad('eventId is required', 'eventId');
    const archiveName = body['archiveName'];
    const archive = this.cloud.events.describeArchive({ ArchiveName: archiveName });
    const event = this.cloud.events.archivedEvents(archiveName).find((e) => e.id === body['eventId']);
    if (event === undefined) return notFound(`Event ${body['eventId']} is not in archive ${archiveName}`);
    const time = Date.parse(event.time);
    const replay = this.cloud.events.startReplay({
      ReplayName: `console-${Date.now()}`,
      EventSourceArn: archive.ArchiveArn,
      EventStartTime: new Date(Math.floor(time / 1000) * 1000),
      EventEndTime: new Date(Math.floor(time / 1000) * 1000 + 1000),
      Destination: { Arn: archive.EventSourceArn },
    });
    return ok(replay);
  }
}
