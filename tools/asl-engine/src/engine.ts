import { createHash, randomUUID } from 'node:crypto';
import { RealClock, type Clock, type TimerHandle } from './clock';
import { loadDefinition, type Definition } from './definition';
import { EngineError, TaskFailure } from './errors';
import {
  ExecutionRun,
  isWellFormedToken,
  MAX_PAYLOAD_BYTES,
  type ExecState,
  type RunHost,
  type TokenWaiter,
} from './execution';
import type { IntegrationRegistry, TaskInvocation } from './integrations';
import { parseJsonText } from './json-text';
import type { ExecutionStore, StoredEvent, StoredExecution, StoredStateMachine, StoreRecord } from './store';
import { testState } from './test-state';
import type { TestStateInput, TestStateOutput } from './test-state-types';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  HistoryEvent,
  JsonObject,
  JsonValue,
  StartSyncExecutionOutput,
  StateMachineListItem,
  StateMachineType,
} from './types';

/** Options of {@link Engine}. */
export interface EngineOptions {
  store: ExecutionStore;
  clock?: Clock;
  integrations: IntegrationRegistry;
  /** Default '000000000000'. */
  accountId?: string;
  /** Default 'us-east-1'. */
  region?: string;
  /** Live history updates (console, logs). */
  onHistoryEvent?: (executionArn: string, event: HistoryEvent) => void;
  onExecutionStatusChange?: (summary: ExecutionListItem) => void;
}

const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}
const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;

function validateName(name: string, what: string): void {
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name) || hasControlCharacter(name)) {
    throw new EngineError(
      'InvalidName',
      `Invalid Name: '${name}' (${what} names must be 1-80 characters without whitespace, brackets, wildcards, special or control characters)`,
    );
  }
}

/** The `...Details` member AWS writes after a data member of event details (always `{ truncated: false }` here). */
function truncationMember(member: string): string | undefined {
  if (member === 'input') return 'inputDetails';
  if (member === 'output') return 'outputDetails';
  if (member === 'assignedVariables') return 'assignedVariablesDetails';
  return undefined;
}

/**
 * Event details as GetExecutionHistory returns them. Stored details leave out the `{ truncated: false }` members
 * (nothing is ever truncated: less to keep and to write); they are added back after the member they describe, where
 * AWS has them. Details stored with them (logs of earlier versions) are returned as they are.
 */
function apiDetails(stored: JsonObject, includeData: boolean): JsonObject {
  const out: JsonObject = {};
  for (const k in stored) {
    if (includeData || (k !== 'input' && k !== 'output')) out[k] = stored[k] ?? null;
    const truncation = truncationMember(k);
    if (truncation !== undefined && !(truncation in stored)) out[truncation] = { truncated: false };
  }
  return out;
}

function toHistoryEvent(ev: StoredEvent, includeData = true): HistoryEvent {
  const out: HistoryEvent = {
    timestamp: new Date(ev.ts),
    type: ev.type,
    id: ev.id,
    previousEventId: ev.prev,
  };
  if (ev.details !== undefined && ev.detailsKey !== undefined) {
    (out as unknown as Record<string, unknown>)[ev.detailsKey] = apiDetails(ev.details, includeData);
  }
  return out;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown };
    if (typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // fall through
  }
  throw new EngineError('InvalidToken', `Invalid Token: '${token}'`);
}

/** A page size: `maxResults` (0 or absent: `dflt`), at most 1,000 as AWS allows. */
function pageSize(maxResults: number | undefined, dflt: number): number {
  const max = maxResults === undefined || maxResults === 0 ? dflt : maxResults;
  if (max < 0 || max > 1000)
    throw new EngineError(
      'ValidationException',
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  return max;
}

/** Where a ListExecutions page ended: the last execution returned, by its place in the order. */
interface ExecutionCursor {
  readonly startDate: number;
  readonly arn: string;
}

/** ListExecutions order: newest first; executions started in the same millisecond by ARN. */
function compareNewestFirst(a: ExecutionCursor, b: ExecutionCursor): number {
  return b.startDate - a.startDate || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
}

/**
 * ListExecutions tokens name the last execution returned, not an offset: executions started while a client pages
 * (the console polls while the workflow runs) do not shift the next page, which continues where the last one ended.
 */
function encodeExecutionCursor(last: ExecutionCursor): string {
  return Buffer.from(JSON.stringify({ s: last.startDate, a: last.arn })).toString('base64');
}

function decodeExecutionCursor(token: string | undefined): ExecutionCursor | undefined {
  if (token === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { s?: unknown; a?: unknown };
    if (typeof v.s === 'number' && Number.isFinite(v.s) && typeof v.a === 'string')
      return { startDate: v.s, arn: v.a };
  } catch {
    // fall through
  }
  throw new EngineError('InvalidToken', `Invalid Token: '${token}'`);
}

function page<T>(
  items: readonly T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  dflt: number,
): { page: T[]; nextToken?: string } {
  const max = pageSize(maxResults, dflt);
  const start = decodeToken(nextToken);
  const slice = items.slice(start, start + max);
  return start + max < items.length ? { page: slice, nextToken: encodeToken(start + max) } : { page: slice };
}

interface TokenEntry {
  readonly arn: string;
  readonly jkey: string;
}

/**
 * AWS Step Functions "without the wire": state machines, executions (run by the ASL interpreter), task tokens and
 * execution history, as a library. Integrations, clock and store are injected; everything an execution needs to resume
 * lives in the store, so a new Engine over the same store continues every execution that was waiting.
 */
export class Engine {
  private readonly store: ExecutionStore;
  private readonly clock: Clock;
  private readonly integrations: IntegrationRegistry;
  private readonly accountId: string;
  private readonly region: string;
  private readonly onHistoryEvent: EngineOptions['onHistoryEvent'];
  private readonly onStatusChange: EngineOptions['onExecutionStatusChange'];
  private readonly machines = new Map<string, StoredStateMachine>();
  private readonly executions = new Map<string, ExecState>();
  /** Executions by short id (dense integers from 1). */
  private readonly byShortId: Array<ExecState | undefined> = [];
  private readonly storedDefinitions = new Map<string, string>();
  private readonly definitionIds = new Map<string, string>();
  private nextShortId = 1;
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly watchers = new Map<string, TokenWaiter>();
  private readonly definitions = new Map<string, Definition>();
  private readonly executionTimers = new Map<string, TimerHandle>();
  private readonly ephemeral = new WeakSet<ExecState>();
  private readonly host: RunHost;
  private started = false;
  private closing = false;

  constructor(opts: EngineOptions) {
    this.store = opts.store;
    this.clock = opts.clock ?? new RealClock();
    this.integrations = opts.integrations;
    this.accountId = opts.accountId ?? '000000000000';
    this.region = opts.region ?? 'us-east-1';
    this.onHistoryEvent = opts.onHistoryEvent;
    this.onStatusChange = opts.onExecutionStatusChange;
    this.host = {
      clock: this.clock,
      integrations: this.integrations,
      region: this.region,
      accountId: this.accountId,
      recordEvent: (exec, ev) => this.recordEvent(exec, ev),
      journal: (exec, key, value) => this.journal(exec, key, value),
      sync: () => {
        void this.store.flush();
      },
      watchToken: (token, _exec, _jkey, waiter) => {
        this.watchers.set(token, waiter);
      },
      unwatchToken: (token) => {
        this.watchers.delete(token);
      },
      startChildExecution: (inv, parent, jkey, onSubmitted) =>
        this.startChildExecution(inv, parent, jkey, onSubmitted),
    };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Loads everything from the store and resumes every RUNNING execution. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const records = await this.store.load();
    for (const r of records) this.apply(r);
    for (const exec of this.executions.values()) {
      if (exec.status === 'RUNNING') this.launch(exec);
    }
  }

  /** Stops timers and running work; executions stay RUNNING in the store (a new Engine resumes them). */
  async close(): Promise<void> {
    this.closing = true;
    for (const exec of this.executions.values()) exec.run?.close('STOPPED');
    for (const t of this.executionTimers.values()) this.clock.clearTimer(t);
    this.executionTimers.clear();
    await this.store.flush();
  }

  private apply(r: StoreRecord): void {
    switch (r.t) {
      case 'sm':
        this.machines.set(r.sm.arn, r.sm);
        break;
      case 'smDel':
        this.machines.delete(r.arn);
        break;
      case 'def':
        this.storedDefinitions.set(r.d, r.text);
        break;
      case 'ex': {
        const exec = this.newExecState(
          { ...r.ex, definition: this.storedDefinitions.get(r.d) ?? r.ex.definition },
          r.x,
        );
        this.executions.set(r.ex.arn, exec);
        this.byShortId[r.x] = exec;
        this.nextShortId = Math.max(this.nextShortId, r.x + 1);
        break;
      }
      case 'ev': {
        const exec = this.byShortId[r.x];
        if (exec) {
          exec.events.push(r.ev);
          (exec.eventsByKey ??= new Map()).set(r.ev.k, r.ev);
          exec.replay = true;
        }
        break;
      }
      case 'st': {
        const exec = this.byShortId[r.x];
        if (exec) {
          this.applyStatus(exec, r.st);
          if (r.st.status === 'SUCCEEDED') {
            // Nothing can resume or redrive a succeeded execution.
            exec.journal.clear();
            exec.eventsByKey = undefined;
          }
        }
        break;
      }
      case 'j': {
        const exec = this.byShortId[r.x];
        if (exec) {
          const prev = exec.journal.get(r.k);
          exec.journal.set(r.k, prev === undefined ? r.v : { ...prev, ...r.v });
          const tok = r.v['tok'];
          if (typeof tok === 'string') this.tokens.set(tok, { arn: exec.ex.arn, jkey: r.k });
        }
        break;
      }
    }
  }

  private applyStatus(
    exec: ExecState,
    st: {
      status: string;
      stopDate?: number;
      output?: string;
      error?: string;
      cause?: string;
      redriveCount?: number;
      redriveDate?: number;
    },
  ): void {
    exec.status = st.status as ExecutionStatus;
    if (st.status === 'RUNNING') {
      exec.stopDate = undefined;
      exec.output = undefined;
      exec.error = undefined;
      exec.cause = undefined;
    }
    if (st.stopDate !== undefined) exec.stopDate = st.stopDate;
    if (st.output !== undefined) exec.output = st.output;
    if (st.error !== undefined) exec.error = st.error;
    if (st.cause !== undefined) exec.cause = st.cause;
    if (st.redriveCount !== undefined) exec.redriveCount = st.redriveCount;
    if (st.redriveDate !== undefined) exec.redriveDate = st.redriveDate;
  }

  private newExecState(ex: StoredExecution, x: number): ExecState {
    return {
      ex,
      x,
      status: 'RUNNING',
      stopDate: undefined,
      output: undefined,
      error: undefined,
      cause: undefined,
      redriveCount: 0,
      redriveDate: undefined,
      events: [],
      eventsByKey: undefined,
      replay: false,
      journal: new Map(),
      run: undefined,
      settled: [],
    };
  }

  private append(exec: ExecState | undefined, record: StoreRecord): void {
    if (exec !== undefined && this.ephemeral.has(exec)) return;
    this.store.append(record);
  }

  private recordEvent(exec: ExecState, ev: StoredEvent): void {
    exec.events.push(ev);
    if (exec.replay) (exec.eventsByKey ??= new Map()).set(ev.k, ev);
    this.append(exec, { t: 'ev', x: exec.x, ev });
    if (this.onHistoryEvent && ev.hidden !== true) {
      try {
        this.onHistoryEvent(exec.ex.arn, toHistoryEvent(ev));
      } catch {
        // A listener's failure must not break the execution it observes.
      }
    }
  }

  private journal(exec: ExecState, key: string, value: JsonObject): void {
    const prev = exec.journal.get(key);
    exec.journal.set(key, prev === undefined ? value : { ...prev, ...value });
    const tok = value['tok'];
    if (typeof tok === 'string') this.tokens.set(tok, { arn: exec.ex.arn, jkey: key });
    this.append(exec, { t: 'j', x: exec.x, k: key, v: value });
  }

  private requireStarted(): void {
    if (!this.started)
      throw new EngineError('ValidationException', 'The engine is not started: call start() first');
  }

  // ---------------------------------------------------------------- state machines

  private smArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  private definition(text: string): Definition {
    let def = this.definitions.get(text);
    if (def === undefined) {
      def = loadDefinition(text);
      this.definitions.set(text, def);
    }
    return def;
  }

  private requireMachine(arn: string): StoredStateMachine {
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(arn))
      throw new EngineError('InvalidArn', `Invalid Arn: '${arn}'`);
    const sm = this.machines.get(arn);
    if (sm === undefined)
      throw new EngineError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  /** CreateStateMachine. Same name, definition and role as an existing machine returns it (as AWS does). */
  async createStateMachine(i: {
    name: string;
    definition: string;
    roleArn?: string;
    type?: StateMachineType;
    loggingConfiguration?: unknown;
    tracingConfiguration?: { enabled?: boolean };
  }): Promise<{ stateMachineArn: string; creationDate: Date }> {
    this.requireStarted();
    validateName(i.name, 'state machine');
    const def = this.definition(i.definition);
    const type = i.type ?? 'STANDARD';
    if (type === 'EXPRESS') this.checkExpressDefinition(def);
    const arn = this.smArn(i.name);
    const roleArn = i.roleArn ?? `arn:aws:iam::${this.accountId}:role/StepFunctionsLocalRole`;
    const existing = this.machines.get(arn);
    if (existing !== undefined) {
      if (existing.definition === i.definition && existing.roleArn === roleArn && existing.type === type) {
        return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
      }
      throw new EngineError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const sm: StoredStateMachine = {
      arn,
      name: i.name,
      definition: i.definition,
      roleArn,
      type,
      creationDate: this.clock.now(),
      revisionId: randomUUID(),
      ...(i.loggingConfiguration !== undefined ? { loggingConfiguration: i.loggingConfiguration } : {}),
      ...(i.tracingConfiguration !== undefined ? { tracingConfiguration: i.tracingConfiguration } : {}),
    };
    this.machines.set(arn, sm);
    this.append(undefined, { t: 'sm', sm });
    await this.store.flush();
    return { stateMachineArn: arn, creationDate: new Date(sm.creationDate) };
  }

  private checkExpressDefinition(def: Definition): void {
    const text = JSON.stringify(def);
    if (/\.waitForTaskToken"|\.sync(:\d+)?"/.test(text)) {
      throw new EngineError(
        'InvalidDefinition',
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machines do not support the .sync or .waitForTaskToken service integration patterns'",
      );
    }
  }

  /** UpdateStateMachine: new executions use the new definition; running ones keep theirs. */
  async updateStateMachine(i: {
    stateMachineArn: string;
    definition?: string;
    roleArn?: string;
  }): Promise<{ updateDate: Date }> {
    this.requireStarted();
    const sm = this.requireMachine(i.stateMachineArn);
    if (i.definition !== undefined) {
      const def = this.definition(i.definition);
      if (sm.type === 'EXPRESS') this.checkExpressDefinition(def);
    }
    const updated: StoredStateMachine = {
      ...sm,
      definition: i.definition ?? sm.definition,
      roleArn: i.roleArn ?? sm.roleArn,
      revisionId: randomUUID(),
    };
    this.machines.set(sm.arn, updated);
    this.append(undefined, { t: 'sm', sm: updated });
    await this.store.flush();
    return { updateDate: new Date(this.clock.now()) };
  }

  /** DeleteStateMachine. Running executions continue. */
  async deleteStateMachine(i: { stateMachineArn: string }): Promise<void> {
    this.requireStarted();
    if (!this.machines.has(i.stateMachineArn)) return;
    this.machines.delete(i.stateMachineArn);
    this.append(undefined, { t: 'smDel', arn: i.stateMachineArn });
    await this.store.flush();
  }

  async describeStateMachine(i: { stateMachineArn: string }): Promise<DescribeStateMachineOutput> {
    this.requireStarted();
    const sm = this.requireMachine(i.stateMachineArn);
    return {
      stateMachineArn: sm.arn,
      name: sm.name,
      status: 'ACTIVE',
      definition: sm.definition,
      roleArn: sm.roleArn,
      type: sm.type,
      creationDate: new Date(sm.creationDate),
      revisionId: sm.revisionId,
      ...(sm.loggingConfiguration !== undefined ? { loggingConfiguration: sm.loggingConfiguration } : {}),
      ...(sm.tracingConfiguration !== undefined ? { tracingConfiguration: sm.tracingConfiguration } : {}),
    };
  }

  async listStateMachines(
    i: { maxResults?: number; nextToken?: string } = {},
  ): Promise<{ stateMachines: StateMachineListItem[]; nextToken?: string }> {
    this.requireStarted();
    const all = [...this.machines.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((sm) => ({
        stateMachineArn: sm.arn,
        name: sm.name,
        type: sm.type,
        creationDate: new Date(sm.creationDate),
      }));
    const p = page(all, i.maxResults, i.nextToken, 100);
    return { stateMachines: p.page, ...(p.nextToken !== undefined ? { nextToken: p.nextToken } : {}) };
  }

  // ---------------------------------------------------------------- executions

  private execArn(sm: StoredStateMachine, name: string): string {
    if (sm.type === 'EXPRESS') {
      // Express execution ARNs carry a third part (a uuid): names may repeat.
      return `arn:aws:states:${this.region}:${this.accountId}:express:${sm.name}:${name}:${randomUUID()}`;
    }
    return `arn:aws:states:${this.region}:${this.accountId}:execution:${sm.name}:${name}`;
  }

  private parseInput(input: string | undefined): string {
    const text = input ?? '{}';
    try {
      JSON.parse(text);
    } catch {
      throw new EngineError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: 'Unexpected character at position 0'`,
      );
    }
    if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw new EngineError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: the input exceeds the maximum size of ${MAX_PAYLOAD_BYTES} bytes`,
      );
    }
    return text;
  }

  /** StartExecution. STANDARD: same name and input as a running execution returns it; otherwise ExecutionAlreadyExists. */
  async startExecution(i: {
    stateMachineArn: string;
    name?: string;
    input?: string;
    traceHeader?: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    this.requireStarted();
    const exec = this.createExecution(i, false);
    // The execution exists once StartExecution answers: its record is written before the answer (executions
    // started together share the write).
    await (this.store.commit?.() ?? this.store.flush());
    return { executionArn: exec.ex.arn, startDate: new Date(exec.ex.startDate) };
  }

  private createExecution(
    i: { stateMachineArn: string; name?: string; input?: string; traceHeader?: string },
    sync: boolean,
  ): ExecState {
    const sm = this.requireMachine(i.stateMachineArn);
    const name = i.name ?? randomUUID();
    validateName(name, 'execution');
    const input = this.parseInput(i.input);
    if (
      i.traceHeader !== undefined &&
      (i.traceHeader.length > 256 || !/^[\x20-\x7e]*$/.test(i.traceHeader))
    ) {
      throw new EngineError(
        'ValidationException',
        `Invalid traceHeader: it must be at most 256 printable ASCII characters`,
      );
    }
    if (sync && sm.type !== 'EXPRESS') {
      throw new EngineError(
        'StateMachineTypeNotSupported',
        `This operation is not supported by this type of state machine: '${sm.arn}' is STANDARD`,
      );
    }
    const arn = this.execArn(sm, name);
    const existing = this.executions.get(arn);
    if (existing !== undefined) {
      if (sm.type === 'STANDARD' && existing.status === 'RUNNING' && existing.ex.input === input)
        return existing;
      if (sm.type === 'STANDARD' || existing.status === 'RUNNING') {
        throw new EngineError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
      }
    }
    const ex: StoredExecution = {
      arn,
      smArn: sm.arn,
      name,
      input,
      startDate: this.clock.now(),
      definition: sm.definition,
      roleArn: sm.roleArn,
      type: sm.type,
      ...(i.traceHeader !== undefined ? { traceHeader: i.traceHeader } : {}),
    };
    const exec = this.newExecState(ex, this.nextShortId++);
    if (sm.type === 'EXPRESS') this.ephemeral.add(exec);
    this.executions.set(arn, exec);
    this.byShortId[exec.x] = exec;
    if (!this.ephemeral.has(exec)) {
      let d = this.definitionIds.get(ex.definition);
      if (d === undefined) {
        d = createHash('sha256').update(ex.definition).digest('base64url').slice(0, 22);
        this.definitionIds.set(ex.definition, d);
      }
      if (!this.storedDefinitions.has(d)) {
        this.storedDefinitions.set(d, ex.definition);
        this.append(undefined, { t: 'def', d, text: ex.definition });
      }
      this.append(exec, { t: 'ex', x: exec.x, d, ex: { ...ex, definition: '' } });
    }
    this.launch(exec);
    this.notifyStatus(exec);
    return exec;
  }

  private launch(exec: ExecState): void {
    let def: Definition;
    try {
      def = this.definition(exec.ex.definition);
    } catch (e) {
      // Only possible for a stored execution whose definition this engine version no longer accepts.
      this.setClosed(exec, {
        status: 'FAILED',
        error: 'States.Runtime',
        cause: e instanceof Error ? e.message : String(e),
      });
      return;
    }
    const run = new ExecutionRun(this.host, exec, def);
    exec.run = run;
    const timeout = def['TimeoutSeconds'];
    if (typeof timeout === 'number') {
      const from = exec.redriveDate ?? exec.ex.startDate;
      const handle = this.clock.setTimer(from + timeout * 1000, () => {
        this.executionTimers.delete(exec.ex.arn);
        if (exec.status !== 'RUNNING' || exec.run !== run) return;
        run.close('TIMED_OUT');
        this.closeWithEvent(
          exec,
          'TIMED_OUT',
          'ExecutionTimedOut',
          'executionTimedOutEventDetails',
          undefined,
          undefined,
        );
      });
      this.executionTimers.set(exec.ex.arn, handle);
    }
    run.run().then(
      (result) => {
        if (result === undefined || this.closing || exec.run !== run) return;
        this.clearExecutionTimer(exec);
        if (result.status === 'SUCCEEDED')
          this.setClosed(exec, { status: 'SUCCEEDED', output: result.output });
        else
          this.setClosed(exec, {
            status: 'FAILED',
            ...(result.error !== undefined ? { error: result.error } : {}),
            ...(result.cause !== undefined ? { cause: result.cause } : {}),
          });
      },
      (err: unknown) => {
        if (this.closing || exec.run !== run) return;
        this.clearExecutionTimer(exec);
        this.setClosed(exec, {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: err instanceof Error ? err.message : String(err),
        });
      },
    );
  }

  private clearExecutionTimer(exec: ExecState): void {
    const t = this.executionTimers.get(exec.ex.arn);
    if (t !== undefined) this.clock.clearTimer(t);
    this.executionTimers.delete(exec.ex.arn);
  }

  /** Closes an execution with `st`, a fresh object of the caller's: its stopDate is set here. */
  private setClosed(
    exec: ExecState,
    st: { status: ExecutionStatus; output?: string; error?: string; cause?: string; stopDate?: number },
  ): void {
    st.stopDate = this.clock.now();
    const full = st;
    this.applyStatus(exec, full);
    exec.run = undefined;
    // A succeeded execution cannot be redriven: its checkpoints are no longer needed in memory.
    if (st.status === 'SUCCEEDED') {
      exec.journal.clear();
      exec.eventsByKey = undefined;
    }
    this.append(exec, { t: 'st', x: exec.x, st: full });
    this.notifyStatus(exec);
    const waiters = exec.settled.splice(0);
    for (const w of waiters) w();
  }

  private closeWithEvent(
    exec: ExecState,
    status: ExecutionStatus,
    type: string,
    key: string,
    error: string | undefined,
    cause: string | undefined,
  ): void {
    const details: Record<string, string> = {};
    if (error !== undefined) details['error'] = error;
    if (cause !== undefined) details['cause'] = cause;
    const last = exec.events[exec.events.length - 1];
    this.recordEvent(exec, {
      k: `${exec.redriveCount}|close|${exec.events.length}`,
      ts: this.clock.now(),
      type,
      id: exec.events.length + 1,
      // AWS points ExecutionAborted / ExecutionTimedOut where the last recorded event pointed.
      prev: last?.prev ?? 0,
      detailsKey: key,
      details,
    });
    this.setClosed(exec, {
      status,
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  private notifyStatus(exec: ExecState): void {
    if (this.onStatusChange) {
      try {
        this.onStatusChange(this.listItem(exec));
      } catch {
        // A listener's failure must not break the execution it observes.
      }
    }
  }

  private listItem(exec: ExecState): ExecutionListItem {
    return {
      executionArn: exec.ex.arn,
      stateMachineArn: exec.ex.smArn,
      name: exec.ex.name,
      status: exec.status,
      startDate: new Date(exec.ex.startDate),
      ...(exec.stopDate !== undefined ? { stopDate: new Date(exec.stopDate) } : {}),
      ...(exec.redriveCount > 0 ? { redriveCount: exec.redriveCount } : {}),
      ...(exec.redriveDate !== undefined ? { redriveDate: new Date(exec.redriveDate) } : {}),
    };
  }

  private requireExecution(arn: string): ExecState {
    if (
      !/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution:[^:]+:[^:]+|express:[^:]+:[^:]+:[^:]+)$/.test(arn)
    ) {
      throw new EngineError('InvalidArn', `Invalid Arn: '${arn}'`);
    }
    const exec = this.executions.get(arn);
    if (exec === undefined)
      throw new EngineError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return exec;
  }

  /** StartSyncExecution (EXPRESS machines only): runs the execution and returns its outcome. */
  async startSyncExecution(i: {
    stateMachineArn: string;
    name?: string;
    input?: string;
    traceHeader?: string;
  }): Promise<StartSyncExecutionOutput> {
    this.requireStarted();
    const exec = this.createExecution(i, true);
    await this.waitForExecution(exec.ex.arn);
    const d = this.describe(exec);
    const status = d.status === 'SUCCEEDED' ? 'SUCCEEDED' : d.status === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED';
    return {
      executionArn: d.executionArn,
      stateMachineArn: d.stateMachineArn,
      name: d.name,
      startDate: d.startDate,
      stopDate: d.stopDate ?? new Date(this.clock.now()),
      status,
      ...(d.input !== undefined ? { input: d.input, inputDetails: { truncated: false } } : {}),
      ...(d.output !== undefined ? { output: d.output, outputDetails: { truncated: false } } : {}),
      ...(d.error !== undefined ? { error: d.error } : {}),
      ...(d.cause !== undefined ? { cause: d.cause } : {}),
      ...(d.traceHeader !== undefined ? { traceHeader: d.traceHeader } : {}),
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(100, (d.stopDate?.getTime() ?? 0) - d.startDate.getTime()),
      },
    };
  }

  async describeExecution(i: { executionArn: string }): Promise<DescribeExecutionOutput> {
    this.requireStarted();
    return this.describe(this.requireExecution(i.executionArn));
  }

  private redrivable(exec: ExecState): { ok: boolean; reason?: string } {
    if (exec.ex.type === 'EXPRESS') return { ok: false, reason: 'Express executions cannot be redriven' };
    if (exec.status === 'RUNNING')
      return { ok: false, reason: 'Execution is RUNNING and cannot be redriven' };
    if (exec.status === 'SUCCEEDED')
      return { ok: false, reason: 'Execution is SUCCEEDED and cannot be redriven' };
    if (exec.stopDate !== undefined && this.clock.now() - exec.stopDate > REDRIVE_WINDOW_MS) {
      return { ok: false, reason: 'Execution can no longer be redriven: it closed more than 14 days ago' };
    }
    return { ok: true };
  }

  private describe(exec: ExecState): DescribeExecutionOutput {
    const r = this.redrivable(exec);
    return {
      executionArn: exec.ex.arn,
      stateMachineArn: exec.ex.smArn,
      name: exec.ex.name,
      status: exec.status,
      startDate: new Date(exec.ex.startDate),
      ...(exec.stopDate !== undefined ? { stopDate: new Date(exec.stopDate) } : {}),
      input: exec.ex.input,
      inputDetails: { truncated: false },
      ...(exec.output !== undefined ? { output: exec.output, outputDetails: { truncated: false } } : {}),
      ...(exec.ex.traceHeader !== undefined ? { traceHeader: exec.ex.traceHeader } : {}),
      ...(exec.error !== undefined ? { error: exec.error } : {}),
      ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
      redriveCount: exec.redriveCount,
      ...(exec.redriveDate !== undefined ? { redriveDate: new Date(exec.redriveDate) } : {}),
      redriveStatus: r.ok ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      ...(r.reason !== undefined ? { redriveStatusReason: r.reason } : {}),
    };
  }

  async listExecutions(
    i: {
      stateMachineArn?: string;
      statusFilter?: ExecutionStatus;
      maxResults?: number;
      nextToken?: string;
      redriveFilter?: string;
    } = {},
  ): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    this.requireStarted();
    if (i.stateMachineArn !== undefined) this.requireMachine(i.stateMachineArn);
    // One pass to select, then sort and page; only the page is turned into list items (a console polling the first
    // page of 10,000 executions no longer builds 10,000 of them).
    const after = decodeExecutionCursor(i.nextToken);
    const selected: ExecState[] = [];
    for (const e of this.executions.values()) {
      if (this.ephemeral.has(e)) continue;
      if (i.stateMachineArn !== undefined && e.ex.smArn !== i.stateMachineArn) continue;
      if (i.statusFilter !== undefined && e.status !== i.statusFilter) continue;
      if (i.redriveFilter !== undefined && (i.redriveFilter === 'REDRIVEN') !== e.redriveCount > 0) continue;
      if (after !== undefined && compareNewestFirst(e.ex, after) <= 0) continue;
      selected.push(e);
    }
    selected.sort((a, b) => compareNewestFirst(a.ex, b.ex));
    const max = pageSize(i.maxResults, 100);
    const pageItems = selected.slice(0, max);
    const last = pageItems[pageItems.length - 1];
    return {
      executions: pageItems.map((e) => this.listItem(e)),
      ...(selected.length > max && last !== undefined ? { nextToken: encodeExecutionCursor(last.ex) } : {}),
    };
  }

  async getExecutionHistory(i: {
    executionArn: string;
    maxResults?: number;
    reverseOrder?: boolean;
    nextToken?: string;
    includeExecutionData?: boolean;
  }): Promise<{ events: HistoryEvent[]; nextToken?: string }> {
    this.requireStarted();
    const exec = this.requireExecution(i.executionArn);
    const visible = exec.events.filter((e) => e.hidden !== true);
    const ordered = i.reverseOrder === true ? visible.reverse() : visible;
    const p = page(ordered, i.maxResults, i.nextToken, 100);
    return {
      events: p.page.map((e) => toHistoryEvent(e, i.includeExecutionData !== false)),
      ...(p.nextToken !== undefined ? { nextToken: p.nextToken } : {}),
    };
  }

  /** StopExecution: the execution ends ABORTED (ExecutionAborted). */
  async stopExecution(i: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: Date }> {
    this.requireStarted();
    const exec = this.requireExecution(i.executionArn);
    if (exec.status !== 'RUNNING') {
      return { stopDate: new Date(exec.stopDate ?? this.clock.now()) };
    }
    if (i.error !== undefined && i.error.length > 256)
      throw new EngineError('ValidationException', 'error must be at most 256 characters');
    if (i.cause !== undefined && i.cause.length > 32768)
      throw new EngineError('ValidationException', 'cause must be at most 32768 characters');
    exec.run?.close('STOPPED');
    this.clearExecutionTimer(exec);
    this.closeWithEvent(
      exec,
      'ABORTED',
      'ExecutionAborted',
      'executionAbortedEventDetails',
      i.error,
      i.cause,
    );
    await this.store.flush();
    return { stopDate: new Date(exec.stopDate ?? this.clock.now()) };
  }

  /** RedriveExecution: restarts a FAILED/TIMED_OUT/ABORTED execution from where it stopped, keeping what succeeded. */
  async redriveExecution(i: { executionArn: string; clientToken?: string }): Promise<{ redriveDate: Date }> {
    this.requireStarted();
    const exec = this.requireExecution(i.executionArn);
    const r = this.redrivable(exec);
    if (!r.ok)
      throw new EngineError(
        'ExecutionNotRedrivable',
        `Execution ${exec.ex.arn} cannot be redriven: ${r.reason ?? ''}`,
      );
    const redriveDate = this.clock.now();
    const st = { status: 'RUNNING' as const, redriveCount: exec.redriveCount + 1, redriveDate };
    this.applyStatus(exec, st);
    this.append(exec, { t: 'st', x: exec.x, st });
    if (!exec.replay) {
      exec.replay = true;
      const byKey = (exec.eventsByKey ??= new Map());
      for (const ev of exec.events) byKey.set(ev.k, ev);
    }
    this.launch(exec);
    this.notifyStatus(exec);
    await this.store.flush();
    return { redriveDate: new Date(redriveDate) };
  }

  /** Resolves when the execution leaves RUNNING. */
  async waitForExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    const exec = this.requireExecution(executionArn);
    if (exec.status !== 'RUNNING') return this.describe(exec);
    await new Promise<void>((resolve) => exec.settled.push(resolve));
    return this.describe(exec);
  }

  // ---------------------------------------------------------------- callbacks

  private tokenEntry(taskToken: string): { exec: ExecState; entry: TokenEntry } {
    if (typeof taskToken !== 'string' || taskToken.length < 1 || taskToken.length > 1024) {
      throw new EngineError('InvalidToken', 'Invalid token');
    }
    const entry = this.tokens.get(taskToken);
    if (entry === undefined) {
      if (isWellFormedToken(taskToken)) throw new EngineError('TaskDoesNotExist', 'Task does not exist');
      throw new EngineError('InvalidToken', 'Invalid token');
    }
    const exec = this.executions.get(entry.arn);
    const j = exec?.journal.get(entry.jkey);
    if (
      exec === undefined ||
      exec.status !== 'RUNNING' ||
      j === undefined ||
      j['cb'] !== undefined ||
      j['f'] !== undefined
    ) {
      throw new EngineError('TaskTimedOut', 'Task Timed Out');
    }
    return { exec, entry };
  }

  private deliver(taskToken: string, exec: ExecState, entry: TokenEntry, cb: JsonObject): void {
    this.journal(exec, entry.jkey, { cb });
    void this.store.flush();
    this.watchers.get(taskToken)?.onOutcome(cb);
  }

  /** SendTaskSuccess: `output` (JSON text) becomes the task's result. */
  async sendTaskSuccess(i: { taskToken: string; output: string }): Promise<void> {
    this.requireStarted();
    const { exec, entry } = this.tokenEntry(i.taskToken);
    try {
      JSON.parse(i.output);
    } catch {
      throw new EngineError('InvalidOutput', 'Invalid Output: the provided JSON output data is not valid');
    }
    if (Buffer.byteLength(i.output, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw new EngineError(
        'InvalidOutput',
        `Invalid Output: the output exceeds the maximum size of ${MAX_PAYLOAD_BYTES} bytes`,
      );
    }
    this.deliver(i.taskToken, exec, entry, { ok: i.output });
  }

  /** SendTaskFailure: the task fails with `error` / `cause`. */
  async sendTaskFailure(i: { taskToken: string; error?: string; cause?: string }): Promise<void> {
    this.requireStarted();
    if (i.error !== undefined && i.error.length > 256)
      throw new EngineError(
        'ValidationException',
        "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256",
      );
    if (i.cause !== undefined && i.cause.length > 32768)
      throw new EngineError(
        'ValidationException',
        "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768",
      );
    const { exec, entry } = this.tokenEntry(i.taskToken);
    const cb: JsonObject = {};
    if (i.error !== undefined) cb['e'] = i.error;
    if (i.cause !== undefined) cb['c'] = i.cause;
    this.deliver(i.taskToken, exec, entry, cb);
  }

  /** SendTaskHeartbeat: resets the task's heartbeat clock (no history event). */
  async sendTaskHeartbeat(i: { taskToken: string }): Promise<void> {
    this.requireStarted();
    const { exec, entry } = this.tokenEntry(i.taskToken);
    this.journal(exec, entry.jkey, { hb: this.clock.now() });
    this.watchers.get(i.taskToken)?.onHeartbeat();
  }

  /**
   * TestState: runs one state in isolation (with this engine's integrations and clock), as the Step Functions API
   * does; see `test-state.ts`. Throws EngineError (InvalidDefinition, ValidationException, InvalidExecutionInput).
   */
  async testState(i: TestStateInput): Promise<TestStateOutput> {
    // A tested `states:startExecution` task starts the execution in this engine, as an execution's task does.
    const integrations: IntegrationRegistry = {
      resolve: (inv) =>
        this.integrations.resolve(inv) ??
        (inv.service === 'states' && inv.action === 'startExecution'
          ? (call) => this.startExecutionForTest(call)
          : undefined),
    };
    return testState(i, { integrations, clock: this.clock, accountId: this.accountId, region: this.region });
  }

  /** `states:startExecution` (request-response) for TestState: `{ ExecutionArn, StartDate }`. */
  private async startExecutionForTest(inv: TaskInvocation): Promise<JsonValue> {
    const p = (
      typeof inv.parameters === 'object' && inv.parameters !== null && !Array.isArray(inv.parameters)
        ? inv.parameters
        : {}
    ) as JsonObject;
    const input = p['Input'];
    try {
      const started = await this.startExecution({
        stateMachineArn: String(p['StateMachineArn'] ?? ''),
        ...(typeof p['Name'] === 'string' ? { name: p['Name'] } : {}),
        ...(input === undefined ? {} : { input: typeof input === 'string' ? input : JSON.stringify(input) }),
      });
      return { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime() };
    } catch (e) {
      if (e instanceof EngineError) throw new TaskFailure(`StepFunctions.${e.code}Exception`, e.message);
      throw e;
    }
  }

  // ---------------------------------------------------------------- states:startExecution integration

  private async startChildExecution(
    inv: TaskInvocation,
    parent: ExecState,
    journalKey: string,
    onSubmitted: (value: JsonValue) => void,
  ): Promise<JsonValue> {
    const p = (
      typeof inv.parameters === 'object' && inv.parameters !== null && !Array.isArray(inv.parameters)
        ? inv.parameters
        : {}
    ) as JsonObject;
    const smArn = p['StateMachineArn'];
    if (typeof smArn !== 'string')
      throw new TaskFailure(
        'States.Runtime',
        'The StateMachineArn parameter of states:startExecution is required',
      );
    const rawInput = p['Input'];
    const input =
      rawInput === undefined ? '{}' : typeof rawInput === 'string' ? rawInput : JSON.stringify(rawInput);
    // A deterministic default name makes the start idempotent across a restart of the engine.
    const name =
      typeof p['Name'] === 'string'
        ? p['Name']
        : createHash('sha256')
            .update(`${parent.ex.arn}|${parent.redriveCount}|${journalKey}|${input}`)
            .digest('hex')
            .slice(0, 32);
    let child: ExecState;
    try {
      const sm = this.requireMachine(smArn);
      const arn = this.execArn(sm, name);
      const existing = this.executions.get(arn);
      child =
        existing !== undefined && existing.ex.input === input
          ? existing
          : this.createExecution({ stateMachineArn: smArn, name, input }, false);
    } catch (e) {
      if (e instanceof EngineError) throw new TaskFailure(`StepFunctions.${e.code}Exception`, e.message);
      throw e;
    }
    const started = { ExecutionArn: child.ex.arn, StartDate: child.ex.startDate };
    if (inv.pattern !== 'RUN_JOB') return started;
    onSubmitted(started);
    const d = await this.waitForExecution(child.ex.arn);
    const v2 = inv.resource.endsWith(':2');
    const out: JsonObject = {
      ExecutionArn: d.executionArn,
      Input: v2 ? parseJsonText(d.input ?? '{}') : (d.input ?? '{}'),
      InputDetails: { Included: true },
      Name: d.name,
      RedriveCount: d.redriveCount,
      RedriveStatus: d.redriveStatus,
      StartDate: d.startDate.getTime(),
      StateMachineArn: d.stateMachineArn,
      Status: d.status,
      StopDate: d.stopDate?.getTime() ?? null,
    };
    if (d.status === 'SUCCEEDED') {
      out['Output'] = v2 ? parseJsonText(d.output ?? 'null') : (d.output ?? null);
      out['OutputDetails'] = { Included: true };
      return out;
    }
    if (d.error !== undefined) out['Error'] = d.error;
    if (d.cause !== undefined) out['Cause'] = d.cause;
    throw new TaskFailure('States.TaskFailed', JSON.stringify(out));
  }
}
