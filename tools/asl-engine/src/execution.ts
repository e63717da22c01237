import { randomBytes, randomUUID } from 'node:crypto';
import { Cancellation } from './cancellation';
import type { Clock, TimerHandle } from './clock';
import type { Definition } from './definition';
import { AslError, TaskFailure } from './errors';
import {
  applyTemplate,
  choiceRuleMatches,
  evalJsonata,
  evalJsonataCondition,
  evalPath,
  toAslError,
  evalDollar,
  requireType,
  timestampToEpochMs,
  writeResult,
  type Scope,
} from './expr';
import {
  parseResource,
  type IntegrationPattern,
  type IntegrationRegistry,
  type ParsedResource,
  type TaskInvocation,
} from './integrations';
import { intern, joinName, replayKey } from './intern';
import { parseJsonText, plainJson, stringifyJson } from './json-text';
import { groupIntoBatches } from './map-batches';
import type { StoredEvent, StoredExecution } from './store';
import type { EventDetails, JsonObject, JsonValue } from './types';

/** 256 KiB: the payload limit of Step Functions. */
export const MAX_PAYLOAD_BYTES = 262_144;
/** History events per (standard) execution. */
export const MAX_HISTORY_EVENTS = 25_000;

/** What the execution runner needs from the engine. */
export interface RunHost {
  readonly clock: Clock;
  readonly integrations: IntegrationRegistry;
  readonly region: string;
  readonly accountId: string;
  /** Records a new history event (memory + store + listeners). */
  recordEvent(exec: ExecState, ev: StoredEvent): void;
  /** Merges `value` into the journal entry `key` (memory + store). */
  journal(exec: ExecState, key: string, value: JsonObject): void;
  /** Makes buffered store writes durable now (before a side effect that must not be repeated). */
  sync(): void;
  /** Registers a live waiter for a callback token. */
  watchToken(token: string, exec: ExecState, journalKey: string, waiter: TokenWaiter): void;
  unwatchToken(token: string): void;
  /** Runs `states:startExecution` inside this engine. */
  startChildExecution(
    inv: TaskInvocation,
    parent: ExecState,
    journalKey: string,
    onSubmitted: (value: JsonValue) => void,
  ): Promise<JsonValue>;
}

/** A callback a waiting task receives. */
export interface TokenWaiter {
  onOutcome(outcome: JsonObject): void;
  onHeartbeat(): void;
}

/** The engine's in-memory picture of one execution. */
export interface ExecState {
  readonly ex: StoredExecution;
  /** Short id of the execution in store records. */
  readonly x: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  // Members that come and go are set to undefined, never deleted (every execution keeps one object shape).
  stopDate: number | undefined;
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  redriveCount: number;
  redriveDate: number | undefined;
  readonly events: StoredEvent[];
  /** Recorded events by replay key, while the execution may replay them (made when first needed). */
  eventsByKey: Map<string, StoredEvent> | undefined;
  /** True once the execution was loaded from the store or redriven: its runs look up recorded events by key. */
  replay: boolean;
  readonly journal: Map<string, JsonObject>;
  run: ExecutionRun | undefined;
  readonly settled: Array<() => void>;
}

/** How an event is recorded: `update: false` keeps the thread's source event, `prev` overrides its link. */
interface EmitOptions {
  readonly update?: boolean;
  readonly prev?: number;
  readonly hidden?: boolean;
}

/** The usual options (one object, not one per event). */
const NO_OPTIONS: EmitOptions = Object.freeze({});

/** No value written yet (see ExecutionRun.text). */
const NO_TEXT = Symbol('no text');

/** An error a state raises itself (its cause already carries AWS's state prefix). */
class StateError extends AslError {}

/** Thrown to unwind a run that was stopped or timed out (not an ASL error: never caught by Catch). */
class RunAborted extends Error {
  constructor() {
    super('execution closed');
    this.name = 'RunAborted';
  }
}

interface Thread {
  readonly path: string;
  seq: number;
  readonly vars: Record<string, JsonValue>;
  source: number;
  last: number;
  readonly mapItem?: { Index: number; Value: JsonValue };
  /** Aborted when the run is closed, or a sibling branch or iteration failed. */
  readonly signal: Cancellation;
  /** Events of this thread are not recorded (distributed Map child executions). */
  readonly hidden?: boolean;
}

interface StateCtx {
  readonly thread: Thread;
  readonly prefix: string;
  n: number;
  readonly name: string;
  readonly state: JsonObject;
  readonly ql: 'JSONPath' | 'JSONata';
  enteredId: number;
  enteredTime: number;
  retryCount: number;
  token: string | undefined;
  /** Set by Parallel/Map when a branch or iteration failed (the state then records ...StateFailed unless retried). */
  childFailed: boolean;
  ctxCache: { retryCount: number; token: string | undefined; value: JsonObject } | undefined;
}

interface JsonataStates {
  input: JsonValue;
  result?: JsonValue;
  errorOutput?: JsonValue;
}

interface StateResult {
  output: JsonValue;
  next: string | null;
  exitedId?: number;
  assigned?: Record<string, JsonValue>;
}

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function byteLength(text: string): number {
  return text.length * 3 <= MAX_PAYLOAD_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
}

type TaskEventKind = 'Scheduled' | 'Started' | 'Submitted' | 'Succeeded' | 'Failed' | 'TimedOut';

/** The event type and details member of each kind of task event (made once, not per event). */
function taskEvents(prefix: string, detailsPrefix: string): Record<TaskEventKind, readonly [string, string]> {
  const kinds: TaskEventKind[] = ['Scheduled', 'Started', 'Submitted', 'Succeeded', 'Failed', 'TimedOut'];
  return Object.fromEntries(
    kinds.map((k) => [k, [`${prefix}${k}`, `${detailsPrefix}${k}EventDetails`] as const]),
  ) as Record<TaskEventKind, readonly [string, string]>;
}
const TASK_EVENTS = taskEvents('Task', 'task');
const LAMBDA_EVENTS = taskEvents('LambdaFunction', 'lambdaFunction');

/** Whether an ErrorEquals list matches an error name, as Step Functions matches them. */
export function errorMatches(
  errorEquals: readonly JsonValue[],
  error: string | undefined,
  heartbeat = false,
): boolean {
  const name = error ?? '';
  for (const e of errorEquals) {
    if (e === name) return true;
    // AWS reports a missed heartbeat as States.Timeout; States.HeartbeatTimeout still selects it in Retry/Catch.
    if (e === 'States.HeartbeatTimeout' && heartbeat) return true;
    if (e === 'States.ALL' && name !== 'States.Runtime') return true;
    if (
      e === 'States.TaskFailed' &&
      name !== 'States.Timeout' &&
      name !== 'States.Runtime' &&
      name !== 'States.HeartbeatTimeout'
    ) {
      return true;
    }
    if (e === 'States.Timeout' && name === 'States.HeartbeatTimeout') return true;
  }
  return false;
}

/**
 * The backoff before a retry: IntervalSeconds × BackoffRate^count, capped by MaxDelaySeconds, with FULL jitter a
 * random fraction of it (`random` in [0, 1)).
 */
export function retryDelaySeconds(
  retrier: JsonObject,
  count: number,
  random: () => number = Math.random,
): number {
  let delay = (num(retrier['IntervalSeconds']) ?? 1) * Math.pow(num(retrier['BackoffRate']) ?? 2, count);
  const maxDelay = num(retrier['MaxDelaySeconds']);
  if (maxDelay !== undefined) delay = Math.min(delay, maxDelay);
  if (retrier['JitterStrategy'] === 'FULL') delay = random() * delay;
  return delay;
}

/** Mints an opaque, unguessable task token. */
export function mintTaskToken(): string {
  return `AQ${randomBytes(192).toString('base64url')}`;
}

/** True when `token` has the shape of a token this engine mints. */
export function isWellFormedToken(token: string): boolean {
  return /^AQ[A-Za-z0-9_-]{256}$/.test(token);
}

/**
 * What a JSONPath expression of a state reads. The context object (`$$`) is made only when an expression reads it:
 * most expressions read the input only, and a context object is an ISO timestamp and a few objects per state.
 */
class StateScope implements Scope {
  private made: JsonValue | undefined;

  constructor(
    readonly input: JsonValue,
    readonly variables: Record<string, JsonValue>,
    private readonly makeContext: () => JsonValue,
  ) {}

  get context(): JsonValue {
    if (this.made === undefined) this.made = this.makeContext();
    return this.made;
  }
}

/**
 * The invocation of a request-response task without timeouts (the common case), made by a constructor rather than
 * an object literal with a getter (which V8 cannot clone from a boilerplate): the `AbortSignal` is made only if
 * the integration reads {@link SimpleInvocation.signal}.
 */
class SimpleInvocation implements TaskInvocation {
  readonly service: string;
  readonly action: string;
  readonly pattern: IntegrationPattern;

  constructor(
    readonly resource: string,
    parsed: ParsedResource,
    readonly parameters: JsonValue,
    readonly parametersText: string,
    readonly execution: TaskInvocation['execution'],
    readonly stateName: string,
    private readonly cancellation: Cancellation,
  ) {
    this.service = parsed.service;
    this.action = parsed.action;
    this.pattern = parsed.pattern;
  }

  get signal(): AbortSignal {
    return this.cancellation.signal;
  }
}

/**
 * Runs (or resumes, or redrives) one execution. State completions are checkpointed in the journal, so a resumed run
 * skips every completed state, re-enters the states that were in progress without repeating their side effects, and
 * recognises the history events it already recorded by their replay keys.
 */
export class ExecutionRun {
  private readonly abort = new Cancellation();
  private readonly gen: number;
  private readonly execCtx: JsonObject;
  private readonly smCtx: JsonObject;
  /** The execution input, numbers as Jackson reads them (`$$.Execution.Input` is its plain form). */
  private readonly input: JsonValue;
  private readonly timers = new Set<TimerHandle>();
  private closed = false;
  private closeReason: 'STOPPED' | 'TIMED_OUT' | 'FATAL' | undefined;
  /** The value {@link ExecutionRun.text} wrote last, and its text (NO_TEXT: none yet). */
  private lastValue: JsonValue | typeof NO_TEXT = NO_TEXT;
  private lastText = '';
  private invExecution: TaskInvocation['execution'] | undefined;

  constructor(
    private readonly host: RunHost,
    private readonly exec: ExecState,
    private readonly def: Definition,
  ) {
    this.gen = exec.redriveCount;
    const ex = exec.ex;
    const smName = ex.smArn.slice(ex.smArn.lastIndexOf(':') + 1);
    this.input = parseJsonText(ex.input);
    this.execCtx = {
      Id: ex.arn,
      Input: plainJson(this.input),
      Name: ex.name,
      RoleArn: ex.roleArn,
      StartTime: new Date(ex.startDate).toISOString(),
    };
    // Express executions cannot be redriven: their context object has no RedriveCount.
    if (ex.type === 'STANDARD') this.execCtx['RedriveCount'] = exec.redriveCount;
    if (exec.redriveDate !== undefined)
      this.execCtx['RedriveTime'] = new Date(exec.redriveDate).toISOString();
    this.smCtx = { Id: ex.smArn, Name: smName };
  }

  /** Aborts the run (StopExecution, execution timeout); it unwinds without recording more events. */
  close(reason: 'STOPPED' | 'TIMED_OUT'): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    for (const t of this.timers) this.host.clock.clearTimer(t);
    this.timers.clear();
    this.abort.abort(new RunAborted());
  }

  /** Runs the execution to its end; resolves with how it ended (or undefined when closed from outside). */
  async run(): Promise<
    { status: 'SUCCEEDED'; output: string } | { status: 'FAILED'; error?: string; cause?: string } | undefined
  > {
    const root: Thread = { path: 'r', seq: 0, vars: {}, source: 0, last: 0, signal: this.abort };
    // The start event's key does not depend on the redrive generation: it is recorded once.
    const startCtx: StateCtx = { ...this.ctx(root, 'x', '', {}), prefix: 'start' };
    // ExecutionStarted does not move the source pointer (the first state's entry points at event 0).
    this.emit(
      startCtx,
      'ExecutionStarted',
      'executionStartedEventDetails',
      {
        input: this.exec.ex.input,
        roleArn: this.exec.ex.roleArn,
      },
      { update: false },
    );
    if (this.gen > 0) {
      const redriven = this.emit(
        this.ctx(root, 'x-redriven', '', {}),
        'ExecutionRedriven',
        'executionRedrivenEventDetails',
        {
          redriveCount: this.gen,
        },
      );
      root.source = redriven.id;
    }
    try {
      const output = await this.runStates(
        root,
        this.def,
        this.input,
        str(this.def['QueryLanguage']) ?? 'JSONPath',
      );
      const text = this.text(output);
      this.emit(
        this.ctx(root, 'x-succeeded', '', {}),
        'ExecutionSucceeded',
        'executionSucceededEventDetails',
        {
          output: text,
        },
      );
      this.closed = true;
      return { status: 'SUCCEEDED', output: text };
    } catch (e) {
      if (this.closeReason === 'STOPPED' || this.closeReason === 'TIMED_OUT') return undefined;
      const err =
        e instanceof AslError
          ? e
          : new AslError('States.Runtime', e instanceof Error ? e.message : String(e));
      const details: EventDetails = {};
      if (err.error !== undefined) details['error'] = err.error;
      if (err.cause !== undefined) details['cause'] = err.cause;
      this.emitRaw(
        this.ctx(root, 'x-failed', '', {}),
        'ExecutionFailed',
        'executionFailedEventDetails',
        details,
      );
      this.closed = true;
      return {
        status: 'FAILED',
        ...(err.error !== undefined ? { error: err.error } : {}),
        ...(err.cause !== undefined ? { cause: err.cause } : {}),
      };
    } finally {
      for (const t of this.timers) this.host.clock.clearTimer(t);
      this.timers.clear();
    }
  }

  // ------------------------------------------------------------------ events

  /**
   * The JSON text of a value. A state's output is the next state's input, a task's input its parameters, a task's
   * result its state's output, the last output the execution's: the same value is written several times in a row.
   * Values are never mutated once made, so the same object has the same text: it is made once, and the history
   * events share one string (less to make, to keep in memory and, in the FileStore, to write).
   */
  private text(value: JsonValue): string {
    if (value === this.lastValue) return this.lastText;
    const text = stringifyJson(value);
    this.lastValue = value;
    this.lastText = text;
    return text;
  }

  private ctx(
    thread: Thread,
    prefix: string,
    name: string,
    state: JsonObject,
    ql: 'JSONPath' | 'JSONata' = 'JSONPath',
  ): StateCtx {
    return {
      thread,
      prefix: `${this.gen}|${thread.path}|${prefix}`,
      n: 0,
      name,
      state,
      ql,
      enteredId: 0,
      enteredTime: 0,
      retryCount: 0,
      token: undefined,
      childFailed: false,
      ctxCache: undefined,
    };
  }

  private emit(
    sc: StateCtx,
    type: string,
    detailsKey?: string,
    details?: EventDetails,
    opts: EmitOptions = NO_OPTIONS,
  ): StoredEvent {
    if (this.closed) throw new RunAborted();
    return this.emitRaw(sc, type, detailsKey, details, opts);
  }

  private emitRaw(
    sc: StateCtx,
    type: string,
    detailsKey?: string,
    details?: EventDetails,
    opts: EmitOptions = NO_OPTIONS,
  ): StoredEvent {
    if (sc.thread.hidden === true) {
      // Events of a distributed Map's child executions belong to the map run, not to this history.
      return { k: '', ts: this.host.clock.now(), type, id: sc.thread.last, prev: sc.thread.source };
    }
    const key = replayKey(sc.prefix, sc.n++);
    // Only a resumed or redriven run can meet events it already recorded.
    let ev = this.exec.replay ? this.exec.eventsByKey?.get(key) : undefined;
    if (ev === undefined) {
      if (this.exec.events.length >= MAX_HISTORY_EVENTS && !type.startsWith('Execution')) {
        throw new AslError(
          'States.Runtime',
          `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
        );
      }
      // Details are built without undefined members (they would not survive the store's JSON anyway). Each
      // event is made by one literal of its final shape (adding members later costs a property store each).
      const ts = this.host.clock.now();
      const id = this.exec.events.length + 1;
      const prev = opts.prev ?? sc.thread.source;
      if (detailsKey !== undefined && details !== undefined) {
        const d = details as JsonObject;
        ev =
          opts.hidden === true
            ? { k: key, ts, type, id, prev, detailsKey, details: d, hidden: true }
            : { k: key, ts, type, id, prev, detailsKey, details: d };
      } else {
        ev =
          opts.hidden === true
            ? { k: key, ts, type, id, prev, hidden: true }
            : { k: key, ts, type, id, prev };
      }
      this.host.recordEvent(this.exec, ev);
    }
    sc.thread.last = Math.max(sc.thread.last, ev.id);
    if (opts.update !== false) sc.thread.source = ev.id;
    return ev;
  }

  // ------------------------------------------------------------------ state loop

  private async runStates(
    thread: Thread,
    block: JsonObject,
    input: JsonValue,
    ql: string,
  ): Promise<JsonValue> {
    const states = block['States'] as JsonObject;
    let name = block['StartAt'] as string;
    let current = input;
    for (;;) {
      if (this.closed) throw new RunAborted();
      const seq = thread.seq++;
      const ckKey = intern(`c|${thread.path}@${seq}`);
      const ck = this.exec.journal.get(ckKey);
      if (ck !== undefined) {
        const exitedId = num(ck['e']);
        const exited = exitedId === undefined ? undefined : this.exec.events[exitedId - 1];
        const text = exited?.details?.['output'];
        current = typeof text === 'string' ? parseJsonText(text) : (ck['o'] ?? null);
        const assigned = ck['a'];
        if (isObj(assigned)) Object.assign(thread.vars, assigned);
        thread.source = num(ck['s']) ?? thread.source;
        thread.last = Math.max(thread.last, num(ck['l']) ?? 0);
        const next = ck['n'];
        if (typeof next !== 'string') return current;
        name = next;
        continue;
      }
      const state = states[name] as JsonObject;
      const stateQl = (str(state['QueryLanguage']) ?? ql) as 'JSONPath' | 'JSONata';
      const sc = this.ctx(thread, `${seq}`, name, state, stateQl);
      const result = await this.runState(sc, current, ql);
      if (result.assigned !== undefined) Object.assign(thread.vars, result.assigned);
      // The output is in the state's Exited event (its id is `e`); hidden threads record no events and keep it here.
      const ckValue: JsonObject =
        thread.hidden === true || result.exitedId === undefined
          ? { o: result.output, n: result.next, s: thread.source, l: thread.last }
          : { e: result.exitedId, n: result.next, s: thread.source, l: thread.last };
      if (result.assigned !== undefined) ckValue['a'] = result.assigned;
      this.host.journal(this.exec, ckKey, ckValue);
      current = result.output;
      if (result.next === null) return current;
      name = result.next;
    }
  }

  private context(sc: StateCtx): JsonObject {
    // Built once per state and attempt (the token and retry count change between attempts).
    const cached = sc.ctxCache;
    if (cached !== undefined && cached.retryCount === sc.retryCount && cached.token === sc.token)
      return cached.value;
    const ctx: JsonObject = {
      Execution: this.execCtx,
      State: {
        EnteredTime: new Date(sc.enteredTime).toISOString(),
        Name: sc.name,
      },
      StateMachine: this.smCtx,
    };
    if (sc.state['Type'] === 'Task') (ctx['State'] as JsonObject)['RetryCount'] = sc.retryCount;
    if (sc.token !== undefined) ctx['Task'] = { Token: sc.token };
    if (sc.thread.mapItem !== undefined) ctx['Map'] = { Item: sc.thread.mapItem };
    sc.ctxCache = { retryCount: sc.retryCount, token: sc.token, value: ctx };
    return ctx;
  }

  private scope(sc: StateCtx, input: JsonValue): Scope {
    // Expressions see plain numbers (a Jackson double such as 1.0 is the number 1 to them).
    return new StateScope(plainJson(input), sc.thread.vars, () => plainJson(this.context(sc)));
  }

  private async runState(sc: StateCtx, input: JsonValue, machineQl: string): Promise<StateResult> {
    const type = str(sc.state['Type']) ?? '';
    // The first state of an execution records the execution input text exactly as it was given.
    const inputText =
      sc.prefix === `${this.gen}|r|0` && this.gen === 0 ? this.exec.ex.input : this.text(input);
    const entered = this.emit(sc, joinName(type, 'StateEntered'), 'stateEnteredEventDetails', {
      name: sc.name,
      input: inputText,
    });
    sc.enteredId = entered.id;
    sc.enteredTime = entered.ts;
    try {
      if (byteLength(inputText) > MAX_PAYLOAD_BYTES) {
        throw new AslError(
          'States.DataLimitExceeded',
          `The state/task '${sc.name}' has an input with a size exceeding the maximum number of bytes service limit.`,
        );
      }
      switch (type) {
        case 'Pass':
          return this.finish(sc, input, await this.pass(sc, input));
        case 'Succeed': {
          const r = await this.succeed(sc, input);
          return this.finish(sc, input, r);
        }
        case 'Fail':
          return await this.fail(sc, input);
        case 'Choice':
          return this.finish(sc, input, await this.choice(sc, input));
        case 'Wait':
          return this.finish(sc, input, await this.wait(sc, input));
        case 'Task':
        case 'Parallel':
        case 'Map':
          return await this.withRetryAndCatch(sc, input, machineQl);
        default:
          throw new AslError('States.Runtime', `Unsupported state type ${type}`);
      }
    } catch (e) {
      // A sibling branch or iteration failed: states still waiting are recorded as aborted (not when the whole
      // execution was stopped or timed out: AWS then records only ExecutionAborted / ExecutionTimedOut).
      if (
        e instanceof RunAborted &&
        !this.closed &&
        (type === 'Task' || type === 'Wait' || type === 'Parallel' || type === 'Map')
      ) {
        this.emitSafe(sc, joinName(type, 'StateAborted'));
      }
      throw this.normalise(sc, e);
    }
  }

  /** Emits the Exited event of a state and returns its result. */
  private finish(sc: StateCtx, _input: JsonValue, r: StateResult): StateResult {
    const type = str(sc.state['Type']) ?? '';
    const outputText = this.text(r.output);
    if (byteLength(outputText) > MAX_PAYLOAD_BYTES) {
      throw new AslError(
        'States.DataLimitExceeded',
        `The state/task '${sc.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    const details: EventDetails = { name: sc.name, output: outputText };
    if (r.assigned !== undefined && Object.keys(r.assigned).length > 0) {
      const assigned: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.assigned)) assigned[k] = JSON.stringify(v);
      details['assignedVariables'] = assigned;
    }
    r.exitedId = this.emit(sc, joinName(type, 'StateExited'), 'stateExitedEventDetails', details).id;
    return r;
  }

  /** Turns expression-layer errors into AslErrors with AWS's state prefix; records EvaluationFailed for JSONata. */
  private normalise(sc: StateCtx, e: unknown): unknown {
    if (e instanceof RunAborted) return e;
    let err: AslError | undefined;
    if (e instanceof StateError) err = new AslError(e.error, e.cause, e.location);
    else if (e instanceof AslError) return e;
    else err = toAslError(e, sc.name, sc.enteredId);
    if (err === undefined) return e;
    if (err.error === 'States.QueryEvaluationError') {
      const details: EventDetails = { error: err.error, state: sc.name };
      if (err.location !== undefined) details['location'] = err.location;
      if (err.cause !== undefined) details['cause'] = err.cause;
      // EvaluationFailed points where the state's entry pointed (a Wait state's, at its entry).
      const entered = this.exec.events[sc.enteredId - 1];
      this.emit(sc, 'EvaluationFailed', 'evaluationFailedEventDetails', details, {
        prev: sc.state['Type'] === 'Wait' ? sc.enteredId : (entered?.prev ?? 0),
      });
      if (sc.state['Type'] === 'Map') this.emit(sc, 'MapStateFailed');
    }
    return err;
  }

  /** An error raised by this state itself, with AWS's "An error occurred while executing the state" prefix. */
  private stateError(sc: StateCtx, error: string, cause: string, location?: string): StateError {
    return new StateError(error, this.prefixed(sc, cause), location);
  }

  /** AWS's prefix for failures inside a state. */
  private prefixed(sc: StateCtx, cause: string): string {
    return `An error occurred while executing the state '${sc.name}' (entered at the event id #${sc.enteredId}). ${cause}`;
  }

  private next(state: JsonObject): string | null {
    return state['End'] === true ? null : (str(state['Next']) ?? null);
  }

  // ------------------------------------------------------------------ helpers for both query languages

  private async jsonata(
    sc: StateCtx,
    template: JsonValue,
    states: JsonataStates,
    field: string,
  ): Promise<JsonValue> {
    // $now() / $millis() follow the engine clock (a virtual clock in tests).
    return evalJsonata(
      template,
      { ...states, context: this.context(sc) },
      sc.thread.vars,
      field,
      this.host.clock.now(),
    );
  }

  private async assign(
    sc: StateCtx,
    assignTemplate: JsonValue | undefined,
    jsonPathInput: JsonValue,
    states: JsonataStates | undefined,
  ): Promise<Record<string, JsonValue> | undefined> {
    if (assignTemplate === undefined) return undefined;
    if (sc.ql !== 'JSONata') return this.assignPath(sc, assignTemplate, jsonPathInput);
    const value = await this.jsonata(sc, assignTemplate, states ?? { input: jsonPathInput }, 'Assign');
    return this.assigned(sc, value);
  }

  /** JSONPath Assign: synchronous (no promise and no microtask per state, most states have no Assign). */
  private assignPath(
    sc: StateCtx,
    assignTemplate: JsonValue | undefined,
    input: JsonValue,
  ): Record<string, JsonValue> | undefined {
    if (assignTemplate === undefined) return undefined;
    return this.assigned(sc, applyTemplate(assignTemplate, this.scope(sc, input), 'Assign'));
  }

  /** The variables an Assign evaluated to, within the payload limit. */
  private assigned(sc: StateCtx, value: JsonValue): Record<string, JsonValue> | undefined {
    if (!isObj(value)) return undefined;
    const text = JSON.stringify(value);
    if (byteLength(text) > MAX_PAYLOAD_BYTES) {
      throw new AslError(
        'States.DataLimitExceeded',
        `The state/task '${sc.name}' assigned variables with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    return value as Record<string, JsonValue>;
  }

  /** JSONPath: InputPath. */
  private inputPath(sc: StateCtx, input: JsonValue): JsonValue {
    if (!('InputPath' in sc.state)) return input;
    const p = sc.state['InputPath'];
    if (p === null) return {};
    return evalPath(p as string, this.scope(sc, input));
  }

  /** JSONPath: OutputPath. */
  private outputPath(sc: StateCtx, value: JsonValue): JsonValue {
    if (!('OutputPath' in sc.state)) return value;
    const p = sc.state['OutputPath'];
    if (p === null) return {};
    return evalPath(p as string, this.scope(sc, value));
  }

  // ------------------------------------------------------------------ Pass, Succeed, Fail, Choice, Wait

  private async pass(sc: StateCtx, input: JsonValue): Promise<StateResult> {
    const s = sc.state;
    if (sc.ql === 'JSONata') {
      const states = { input };
      const assigned = await this.assign(sc, s['Assign'], input, states);
      const output = 'Output' in s ? await this.jsonata(sc, s['Output'] ?? null, states, 'Output') : input;
      return { output, next: this.next(s), ...(assigned ? { assigned } : {}) };
    }
    const effective = this.inputPath(sc, input);
    let result: JsonValue = effective;
    if ('Parameters' in s)
      result = applyTemplate(s['Parameters'] ?? null, this.scope(sc, effective), 'Parameters');
    if ('Result' in s) result = s['Result'] ?? null;
    const assigned = this.assignPath(sc, s['Assign'], result);
    const afterResult = writeResult(
      input,
      'ResultPath' in s ? (s['ResultPath'] as string | null) : '$',
      result,
    );
    const output = this.outputPath(sc, afterResult);
    return { output, next: this.next(s), ...(assigned ? { assigned } : {}) };
  }

  private async succeed(sc: StateCtx, input: JsonValue): Promise<StateResult> {
    const s = sc.state;
    if (sc.ql === 'JSONata') {
      const output = 'Output' in s ? await this.jsonata(sc, s['Output'] ?? null, { input }, 'Output') : input;
      return { output, next: null };
    }
    return { output: this.outputPath(sc, this.inputPath(sc, input)), next: null };
  }

  private async fail(sc: StateCtx, input: JsonValue): Promise<never> {
    const s = sc.state;
    let error: JsonValue | undefined = s['Error'];
    let cause: JsonValue | undefined = s['Cause'];
    if (sc.ql === 'JSONata') {
      if (typeof error === 'string') error = await this.jsonata(sc, error, { input }, 'Error');
      if (typeof cause === 'string') cause = await this.jsonata(sc, cause, { input }, 'Cause');
    } else {
      const scope = this.scope(sc, input);
      if (typeof s['ErrorPath'] === 'string') error = evalDollar(s['ErrorPath'], scope, 'ErrorPath');
      if (typeof s['CausePath'] === 'string') cause = evalDollar(s['CausePath'], scope, 'CausePath');
    }
    if (error !== undefined && typeof error !== 'string') {
      throw new AslError(
        'States.Runtime',
        `The Error field of state '${sc.name}' must evaluate to a string, got ${JSON.stringify(error)}.`,
      );
    }
    if (cause !== undefined && typeof cause !== 'string') {
      throw new AslError(
        'States.Runtime',
        `The Cause field of state '${sc.name}' must evaluate to a string, got ${JSON.stringify(cause)}.`,
      );
    }
    throw new AslError(error as string | undefined, cause as string | undefined);
  }

  private async choice(sc: StateCtx, input: JsonValue): Promise<StateResult> {
    const s = sc.state;
    const rules = (s['Choices'] as JsonValue[]) ?? [];
    if (sc.ql === 'JSONata') {
      const states = { input };
      for (const rule of rules) {
        if (!isObj(rule)) continue;
        const cond = await evalJsonataCondition(
          rule['Condition'] ?? null,
          { input, context: this.context(sc) },
          sc.thread.vars,
          'Condition',
          this.host.clock.now(),
        );
        if (cond) {
          const assigned = await this.assign(sc, rule['Assign'], input, states);
          const output =
            'Output' in rule ? await this.jsonata(sc, rule['Output'] ?? null, states, 'Output') : input;
          return { output, next: rule['Next'] as string, ...(assigned ? { assigned } : {}) };
        }
      }
      if (typeof s['Default'] !== 'string')
        throw new AslError(
          'States.NoChoiceMatched',
          `No Choice Rule matched and no Default is set in state '${sc.name}'.`,
        );
      const assigned = await this.assign(sc, s['Assign'], input, states);
      const output = 'Output' in s ? await this.jsonata(sc, s['Output'] ?? null, states, 'Output') : input;
      return { output, next: s['Default'], ...(assigned ? { assigned } : {}) };
    }
    const effective = this.inputPath(sc, input);
    const scope = this.scope(sc, effective);
    for (const rule of rules) {
      if (!isObj(rule)) continue;
      if (choiceRuleMatches(rule, scope)) {
        const assigned = this.assignPath(sc, rule['Assign'], effective);
        return {
          output: this.outputPath(sc, effective),
          next: rule['Next'] as string,
          ...(assigned ? { assigned } : {}),
        };
      }
    }
    if (typeof s['Default'] !== 'string') {
      throw new AslError(
        'States.NoChoiceMatched',
        `No Choice Rule matched and no Default is set in state '${sc.name}'.`,
      );
    }
    const assigned = this.assignPath(sc, s['Assign'], effective);
    return { output: this.outputPath(sc, effective), next: s['Default'], ...(assigned ? { assigned } : {}) };
  }

  private async wait(sc: StateCtx, input: JsonValue): Promise<StateResult> {
    const s = sc.state;
    const jkey = `${sc.prefix}|wait`;
    const j = this.exec.journal.get(jkey);
    let until = num(j?.['until']);
    let effective = input;
    if (until === undefined) {
      let seconds: JsonValue | undefined;
      let timestamp: JsonValue | undefined;
      if (sc.ql === 'JSONata') {
        if ('Seconds' in s)
          seconds =
            typeof s['Seconds'] === 'string'
              ? await this.jsonata(sc, s['Seconds'], { input }, 'Seconds')
              : s['Seconds'];
        if ('Timestamp' in s)
          timestamp = await this.jsonata(sc, s['Timestamp'] ?? null, { input }, 'Timestamp');
      } else {
        effective = this.inputPath(sc, input);
        const scope = this.scope(sc, effective);
        seconds =
          'SecondsPath' in s ? evalPath(s['SecondsPath'] as string, scope, 'SecondsPath') : s['Seconds'];
        timestamp =
          'TimestampPath' in s
            ? evalPath(s['TimestampPath'] as string, scope, 'TimestampPath')
            : s['Timestamp'];
      }
      if (seconds !== undefined) {
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
          throw new AslError(
            'States.Runtime',
            `The SecondsPath parameter does not reference a valid integer value: ${JSON.stringify(seconds)}`,
          );
        }
        until = sc.enteredTime + seconds * 1000;
      } else {
        const t = typeof timestamp === 'string' ? timestampToEpochMs(timestamp) : undefined;
        if (t === undefined) {
          const shown = typeof timestamp === 'string' ? timestamp : JSON.stringify(timestamp ?? null);
          if (sc.ql === 'JSONata') {
            throw this.stateError(
              sc,
              'States.QueryEvaluationError',
              `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${shown}`,
              'Timestamp',
            );
          }
          const field = 'TimestampPath' in s ? 'TimestampPath' : 'Timestamp';
          const where = 'TimestampPath' in s ? `${String(s['TimestampPath'])} == ${shown}` : shown;
          throw this.stateError(
            sc,
            'States.Runtime',
            `The ${field} parameter does not reference a valid ISO-8601 extended offset date-time format string: ${where}`,
          );
        }
        until = t;
      }
      if (until > this.host.clock.now()) this.host.journal(this.exec, jkey, { until });
    } else if (sc.ql !== 'JSONata') {
      effective = this.inputPath(sc, input);
    }
    if (until > this.host.clock.now()) await this.sleepUntil(until, sc.thread.signal);
    if (sc.ql === 'JSONata') {
      const states = { input };
      const assigned = await this.assign(sc, s['Assign'], input, states);
      const output = 'Output' in s ? await this.jsonata(sc, s['Output'] ?? null, states, 'Output') : input;
      return { output, next: this.next(s), ...(assigned ? { assigned } : {}) };
    }
    const assigned = this.assignPath(sc, s['Assign'], effective);
    return { output: this.outputPath(sc, effective), next: this.next(s), ...(assigned ? { assigned } : {}) };
  }

  private sleepUntil(at: number, signal: Cancellation): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new RunAborted());
        return;
      }
      const onAbort = (): void => {
        this.host.clock.clearTimer(handle);
        this.timers.delete(handle);
        reject(signal.reason instanceof Error ? signal.reason : new RunAborted());
      };
      const handle = this.host.clock.setTimer(at, () => {
        this.timers.delete(handle);
        signal.offAbort(onAbort);
        resolve();
      });
      this.timers.add(handle);
      signal.onAbort(onAbort);
    });
  }

  // ------------------------------------------------------------------ Retry / Catch around Task, Parallel, Map

  private async withRetryAndCatch(sc: StateCtx, input: JsonValue, machineQl: string): Promise<StateResult> {
    const s = sc.state;
    const type = str(s['Type']) ?? '';
    const retriers = Array.isArray(s['Retry']) ? (s['Retry'].filter(isObj) as JsonObject[]) : [];
    const counts = retriers.map(() => 0);
    for (let attempt = 0; ; attempt++) {
      sc.retryCount = attempt;
      const jkey = `${sc.prefix}|a${attempt}`;
      try {
        // An attempt that failed before a restart replays to the same failure (its events are recognised by key
        // and its outcome is journaled), then its backoff continues.
        sc.childFailed = false;
        let result: StateResult;
        if (type === 'Task') result = await this.task(sc, input, attempt);
        else if (type === 'Parallel') result = await this.parallel(sc, input, attempt, machineQl);
        else result = await this.map(sc, input, attempt, machineQl);
        return this.finish(sc, input, result);
      } catch (caught) {
        if (caught instanceof RunAborted) throw caught;
        // Expression-layer errors (e.g. a ResultPath mismatch) are retried and caught like any other error; if
        // they leave the state, the original is rethrown so that the state records it as AWS does.
        const e = caught instanceof AslError ? caught : toAslError(caught, sc.name, sc.enteredId);
        if (e === undefined) throw caught;
        if (e.error === 'States.Runtime') throw caught;
        // Retry?
        const journaled = this.exec.journal.get(jkey);
        let retryAt = num(journaled?.['at']);
        if (retryAt === undefined) {
          const idx = retriers.findIndex((r) =>
            errorMatches((r['ErrorEquals'] as JsonValue[]) ?? [], e.error, e.heartbeat),
          );
          const retrier = idx >= 0 ? retriers[idx] : undefined;
          if (retrier !== undefined && (counts[idx] ?? 0) < (num(retrier['MaxAttempts']) ?? 3)) {
            const count = counts[idx] ?? 0;
            counts[idx] = count + 1;
            const delay = retryDelaySeconds(retrier, count);
            retryAt = this.host.clock.now() + Math.round(delay * 1000);
            this.host.journal(this.exec, jkey, {
              f: { e: e.error ?? null, c: e.cause ?? null, ...(e.heartbeat ? { hb: true } : {}) },
              at: retryAt,
              r: idx,
            });
          }
        } else {
          const idx = num(journaled?.['r']) ?? -1;
          if (idx >= 0) counts[idx] = (counts[idx] ?? 0) + 1;
        }
        if (retryAt !== undefined) {
          if (retryAt > this.host.clock.now()) await this.sleepUntil(retryAt, sc.thread.signal);
          continue;
        }
        if (sc.childFailed) this.emit(sc, joinName(type, 'StateFailed'));
        // Catch?
        const catchers = Array.isArray(s['Catch']) ? (s['Catch'].filter(isObj) as JsonObject[]) : [];
        const catcher = catchers.find((c) =>
          errorMatches((c['ErrorEquals'] as JsonValue[]) ?? [], e.error, e.heartbeat),
        );
        if (catcher === undefined) {
          // A task whose error leaves a branch or iteration is recorded as aborted there.
          if (type === 'Task' && sc.thread.path !== 'r') {
            this.emit(sc, 'TaskStateAborted', undefined, undefined, { update: false });
          }
          throw caught;
        }
        const errorOutput: JsonObject = { Error: e.error ?? null, Cause: e.cause ?? null };
        let output: JsonValue;
        let assigned: Record<string, JsonValue> | undefined;
        if (sc.ql === 'JSONata') {
          const states = { input, errorOutput };
          assigned = await this.assign(sc, catcher['Assign'], errorOutput, states);
          output =
            'Output' in catcher
              ? await this.jsonata(sc, catcher['Output'] ?? null, states, 'Output')
              : errorOutput;
        } else {
          assigned = this.assignPath(sc, catcher['Assign'], errorOutput);
          output = writeResult(
            input,
            'ResultPath' in catcher ? (catcher['ResultPath'] as string | null) : '$',
            errorOutput,
          );
        }
        return this.finish(sc, input, {
          output,
          next: catcher['Next'] as string,
          ...(assigned ? { assigned } : {}),
        });
      }
    }
  }

  // ------------------------------------------------------------------ Task

  private async task(sc: StateCtx, input: JsonValue, attempt: number): Promise<StateResult> {
    const s = sc.state;
    const resource = str(s['Resource']) ?? '';
    const parsed = parseResource(resource);
    if (parsed === undefined)
      throw new AslError(
        'States.Runtime',
        `The resource '${resource}' of state '${sc.name}' is not a supported Task resource.`,
      );
    const jkey = `${sc.prefix}|a${attempt}`;
    const journaled = this.exec.journal.get(jkey);
    const recordedFailure = journaled?.['f'];
    if (parsed.pattern === 'WAIT_FOR_TASK_TOKEN') {
      sc.token = str(journaled?.['tok']) ?? mintTaskToken();
    } else {
      sc.token = undefined;
    }
    // Effective input and parameters.
    let effective: JsonValue = input;
    let params: JsonValue;
    let timeoutSeconds: number | undefined;
    let heartbeatSeconds: number | undefined;
    if (sc.ql === 'JSONata') {
      params =
        'Arguments' in s ? await this.jsonata(sc, s['Arguments'] ?? null, { input }, 'Arguments') : input;
      timeoutSeconds = await this.jsonataSeconds(sc, s['TimeoutSeconds'], input, 'TimeoutSeconds');
      heartbeatSeconds = await this.jsonataSeconds(sc, s['HeartbeatSeconds'], input, 'HeartbeatSeconds');
    } else {
      effective = this.inputPath(sc, input);
      params =
        'Parameters' in s
          ? applyTemplate(s['Parameters'] ?? null, this.scope(sc, effective), 'Parameters')
          : effective;
      timeoutSeconds =
        num(s['TimeoutSeconds']) ??
        this.secondsPath(sc, s['TimeoutSecondsPath'], input, 'TimeoutSecondsPath');
      heartbeatSeconds =
        num(s['HeartbeatSeconds']) ??
        this.secondsPath(sc, s['HeartbeatSecondsPath'], input, 'HeartbeatSecondsPath');
    }
    const result = await this.invokeTask(
      sc,
      parsed,
      resource,
      params,
      attempt,
      timeoutSeconds,
      heartbeatSeconds,
      isObj(recordedFailure) ? recordedFailure : undefined,
    );
    sc.token = undefined;
    // Result processing.
    if (sc.ql === 'JSONata') {
      const states = { input, result };
      const assigned = await this.assign(sc, s['Assign'], result, states);
      const output = 'Output' in s ? await this.jsonata(sc, s['Output'] ?? null, states, 'Output') : result;
      return { output, next: this.next(s), ...(assigned ? { assigned } : {}) };
    }
    const selected =
      'ResultSelector' in s
        ? applyTemplate(s['ResultSelector'] ?? null, this.scope(sc, result), 'ResultSelector')
        : result;
    const assigned = this.assignPath(sc, s['Assign'], selected);
    const afterResult = writeResult(
      input,
      'ResultPath' in s ? (s['ResultPath'] as string | null) : '$',
      selected,
    );
    return {
      output: this.outputPath(sc, afterResult),
      next: this.next(s),
      ...(assigned ? { assigned } : {}),
    };
  }

  private secondsPath(
    sc: StateCtx,
    path: JsonValue | undefined,
    input: JsonValue,
    field: string,
  ): number | undefined {
    if (typeof path !== 'string') return undefined;
    const v = evalPath(path, this.scope(sc, input), field);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new AslError(
        'States.Runtime',
        `The ${field} parameter does not reference a valid positive integer value: ${JSON.stringify(v)}`,
      );
    }
    return v;
  }

  private async jsonataSeconds(
    sc: StateCtx,
    v: JsonValue | undefined,
    input: JsonValue,
    field: string,
  ): Promise<number | undefined> {
    if (v === undefined) return undefined;
    const value = typeof v === 'string' ? await this.jsonata(sc, v, { input }, field) : v;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new AslError(
        'States.Runtime',
        `The ${field} field does not evaluate to a valid positive integer value: ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  private taskEvent(parsed: ParsedResource, kind: TaskEventKind): readonly [string, string] {
    return (parsed.legacyLambda ? LAMBDA_EVENTS : TASK_EVENTS)[kind];
  }

  private async invokeTask(
    sc: StateCtx,
    parsed: ParsedResource,
    resource: string,
    params: JsonValue,
    attempt: number,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
    recordedFailure: JsonObject | undefined,
  ): Promise<JsonValue> {
    const jkey = `${sc.prefix}|a${attempt}`;
    const paramsText = this.text(params);
    const resInfo: EventDetails = parsed.legacyLambda
      ? {}
      : { resourceType: parsed.resourceType, resource: parsed.resourceName };
    // Scheduled / Started
    if (parsed.legacyLambda) {
      const d: EventDetails = { resource, input: paramsText };
      if (timeoutSeconds !== undefined) d['timeoutInSeconds'] = timeoutSeconds;
      this.emit(sc, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', d);
      this.emit(sc, 'LambdaFunctionStarted');
    } else {
      const d: EventDetails = {
        resourceType: parsed.resourceType,
        resource: parsed.resourceName,
        region: this.host.region,
        parameters: paramsText,
      };
      if (timeoutSeconds !== undefined) d['timeoutInSeconds'] = timeoutSeconds;
      if (heartbeatSeconds !== undefined) d['heartbeatInSeconds'] = heartbeatSeconds;
      this.emit(sc, 'TaskScheduled', 'taskScheduledEventDetails', d);
      this.emit(sc, 'TaskStarted', 'taskStartedEventDetails', { ...resInfo });
    }
    const fail = (
      error: string | undefined,
      cause: string | undefined,
      timedOut: boolean,
      heartbeat = false,
    ): AslError => {
      const [type, key] = this.taskEvent(parsed, timedOut ? 'TimedOut' : 'Failed');
      const d: EventDetails = { ...resInfo };
      if (error !== undefined) d['error'] = error;
      if (cause !== undefined) d['cause'] = cause;
      this.emit(sc, type, key, d);
      const err = new AslError(error, cause);
      err.heartbeat = heartbeat;
      return err;
    };
    if (recordedFailure !== undefined) {
      const error = str(recordedFailure['e']);
      throw fail(
        error,
        str(recordedFailure['c']),
        error === 'States.Timeout' || error === 'States.HeartbeatTimeout',
        recordedFailure['hb'] === true,
      );
    }
    let journaled = this.exec.journal.get(jkey);
    const startedAt = num(journaled?.['st']) ?? this.host.clock.now();
    if (
      journaled === undefined &&
      (parsed.pattern === 'WAIT_FOR_TASK_TOKEN' || timeoutSeconds !== undefined)
    ) {
      const v: JsonObject = { st: startedAt };
      if (sc.token !== undefined) v['tok'] = sc.token;
      this.host.journal(this.exec, jkey, v);
      journaled = this.exec.journal.get(jkey);
    }
    if (
      parsed.pattern === 'REQUEST_RESPONSE' &&
      timeoutSeconds === undefined &&
      heartbeatSeconds === undefined
    ) {
      return this.invokeSimple(sc, parsed, resource, params, paramsText, jkey, resInfo, fail);
    }
    // A task of its own signal only when it can time out; otherwise the thread's signal serves.
    const canTimeOut = timeoutSeconds !== undefined || heartbeatSeconds !== undefined;
    const taskAbort = canTimeOut ? new Cancellation() : undefined;
    const taskSignal = taskAbort ?? sc.thread.signal;
    let settleOnAbort: (() => void) | undefined;
    const onParentAbort = (): void => {
      taskAbort?.abort(sc.thread.signal.reason);
      settleOnAbort?.();
    };
    sc.thread.signal.onAbort(onParentAbort);
    const timers: TimerHandle[] = [];
    const clearAll = (): void => {
      for (const t of timers) {
        this.host.clock.clearTimer(t);
        this.timers.delete(t);
      }
      sc.thread.signal.offAbort(onParentAbort);
      if (sc.token !== undefined) this.host.unwatchToken(sc.token);
    };
    try {
      const outcome = await new Promise<
        { ok: JsonValue } | { error?: string; cause?: string; timedOut?: boolean; heartbeat?: boolean }
      >((resolve) => {
        let done = false;
        const settle = (
          o: { ok: JsonValue } | { error?: string; cause?: string; timedOut?: boolean; heartbeat?: boolean },
        ): void => {
          if (done) return;
          done = true;
          resolve(o);
        };
        const arm = (at: number, error: string, heartbeat = false): TimerHandle => {
          const h = this.host.clock.setTimer(at, () => {
            this.timers.delete(h);
            taskAbort?.abort(new AslError(error, undefined));
            settle({ error, timedOut: true, heartbeat });
          });
          this.timers.add(h);
          timers.push(h);
          return h;
        };
        settleOnAbort = () => settle({ error: '__aborted__' });
        if (sc.thread.signal.aborted) settle({ error: '__aborted__' });
        if (timeoutSeconds !== undefined) arm(startedAt + timeoutSeconds * 1000, 'States.Timeout');
        const inv: TaskInvocation = {
          resource,
          service: parsed.service,
          action: parsed.action,
          pattern: parsed.pattern,
          parameters: plainJson(params),
          parametersText: paramsText,
          execution: this.invocationExecution(),
          stateName: sc.name,
          get signal(): AbortSignal {
            return taskSignal.signal;
          },
          ...(sc.token !== undefined ? { taskToken: sc.token } : {}),
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
        };
        const waitForCallback = (): void => {
          const token = sc.token;
          if (token === undefined) return;
          const current = this.exec.journal.get(jkey);
          let heartbeatTimer: TimerHandle | undefined;
          const armHeartbeat = (from: number): void => {
            if (heartbeatSeconds === undefined) return;
            if (heartbeatTimer !== undefined) {
              this.host.clock.clearTimer(heartbeatTimer);
              this.timers.delete(heartbeatTimer);
            }
            heartbeatTimer = arm(from + heartbeatSeconds * 1000, 'States.Timeout', true);
          };
          armHeartbeat(num(current?.['hb']) ?? num(current?.['subAt']) ?? startedAt);
          const deliver = (o: JsonObject): void => {
            const okText = o['ok'];
            if (typeof okText === 'string') {
              settle({ ok: parseJsonText(okText) });
            } else {
              settle({
                ...(typeof o['e'] === 'string' ? { error: o['e'] } : {}),
                ...(typeof o['c'] === 'string' ? { cause: o['c'] } : {}),
              });
            }
          };
          const cb = current?.['cb'];
          if (isObj(cb)) {
            deliver(cb);
            return;
          }
          this.host.watchToken(token, this.exec, jkey, {
            onOutcome: deliver,
            onHeartbeat: () => armHeartbeat(this.host.clock.now()),
          });
        };
        const submitted = journaled?.['sub'];
        if (parsed.pattern === 'WAIT_FOR_TASK_TOKEN' && submitted !== undefined) {
          // Resumed after a restart: the request was already submitted; wait for the callback again.
          const [type, key] = this.taskEvent(parsed, 'Submitted');
          this.emit(sc, type, key, {
            ...resInfo,
            output: stringifyJson(submitted),
          });
          waitForCallback();
          return;
        }
        // The token is known to the engine from here on (journaled above): a callback that arrives before the submit
        // call returns is journaled by the engine and picked up by waitForCallback().
        // Side effects that must not repeat after a restart (a callback token handed out) are durable first.
        if (sc.token !== undefined) this.host.sync();
        const call = this.dispatch(parsed, resource, inv, jkey, (value) => {
          // .sync: the job was started (TaskSubmitted), the task now waits for it to finish.
          if (done || parsed.pattern !== 'RUN_JOB') return;
          const [type, key] = this.taskEvent(parsed, 'Submitted');
          try {
            this.emit(sc, type, key, {
              ...resInfo,
              output: stringifyJson(value),
            });
          } catch {
            settle({ error: '__aborted__' });
          }
        });
        call.then(
          (value) => {
            if (done) return;
            if (parsed.pattern === 'WAIT_FOR_TASK_TOKEN') {
              this.host.journal(this.exec, jkey, { sub: value, subAt: this.host.clock.now() });
              this.host.sync();
              const [type, key] = this.taskEvent(parsed, 'Submitted');
              try {
                this.emit(sc, type, key, {
                  ...resInfo,
                  output: stringifyJson(value),
                });
              } catch {
                settle({ error: '__aborted__' });
                return;
              }
              waitForCallback();
            } else {
              settle({ ok: value });
            }
          },
          (err: unknown) => {
            if (err instanceof TaskFailure)
              settle({ error: err.error, ...(err.cause !== undefined ? { cause: err.cause } : {}) });
            else if (err instanceof AslError)
              settle({
                ...(err.error !== undefined ? { error: err.error } : {}),
                ...(err.cause !== undefined ? { cause: err.cause } : {}),
              });
            else
              settle({ error: 'States.TaskFailed', cause: err instanceof Error ? err.message : String(err) });
          },
        );
      });
      if ('ok' in outcome) {
        const text = this.text(outcome.ok ?? null);
        if (byteLength(text) > MAX_PAYLOAD_BYTES) {
          const cause = `The state/task '${parsed.legacyLambda ? resource : parsed.resourceType}' returned a result with a size exceeding the maximum number of bytes service limit.`;
          throw fail('States.DataLimitExceeded', cause, false);
        }
        const [type, key] = this.taskEvent(parsed, 'Succeeded');
        this.emit(sc, type, key, { ...resInfo, output: text });
        return outcome.ok ?? null;
      }
      if (outcome.error === '__aborted__')
        throw sc.thread.signal.reason instanceof Error ? sc.thread.signal.reason : new RunAborted();
      const failure: JsonObject = { e: outcome.error ?? null, c: outcome.cause ?? null };
      if (outcome.heartbeat === true) failure['hb'] = true;
      this.host.journal(this.exec, jkey, { f: failure });
      throw fail(outcome.error, outcome.cause, outcome.timedOut === true, outcome.heartbeat === true);
    } finally {
      clearAll();
    }
  }

  /** `TaskInvocation.execution`: the same object for every task of this run. */
  private invocationExecution(): TaskInvocation['execution'] {
    if (this.invExecution === undefined) {
      const ex = this.exec.ex;
      this.invExecution =
        ex.traceHeader !== undefined
          ? { executionArn: ex.arn, name: ex.name, stateMachineArn: ex.smArn, traceHeader: ex.traceHeader }
          : { executionArn: ex.arn, name: ex.name, stateMachineArn: ex.smArn };
    }
    return this.invExecution;
  }

  /** The integration call of a task: the built-in `states:startExecution` or the registry's integration. */
  private dispatch(
    parsed: ParsedResource,
    resource: string,
    inv: TaskInvocation,
    jkey: string,
    onSubmitted: (value: JsonValue) => void,
  ): Promise<JsonValue> {
    const integration = this.host.integrations.resolve(inv);
    if (integration !== undefined) {
      try {
        return Promise.resolve(integration(inv));
      } catch (e) {
        // An integration that throws instead of rejecting fails its task the same way.
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (parsed.service === 'states' && parsed.action === 'startExecution') {
      return this.host.startChildExecution(inv, this.exec, jkey, onSubmitted);
    }
    return Promise.reject(
      new TaskFailure(
        'States.Runtime',
        `No integration is registered for the resource '${resource}' (service '${parsed.service}', action '${parsed.action}').`,
      ),
    );
  }

  /** A request-response task without timeouts: call, record the outcome (no timers, no extra signal). */
  private async invokeSimple(
    sc: StateCtx,
    parsed: ParsedResource,
    resource: string,
    params: JsonValue,
    paramsText: string,
    jkey: string,
    resInfo: EventDetails,
    fail: (error: string | undefined, cause: string | undefined, timedOut: boolean) => AslError,
  ): Promise<JsonValue> {
    const inv = new SimpleInvocation(
      resource,
      parsed,
      plainJson(params),
      paramsText,
      this.invocationExecution(),
      sc.name,
      sc.thread.signal,
    );
    let value: JsonValue;
    try {
      value = await this.dispatch(parsed, resource, inv, jkey, () => undefined);
    } catch (err) {
      if (this.closed || sc.thread.signal.aborted) {
        throw sc.thread.signal.reason instanceof Error ? sc.thread.signal.reason : new RunAborted();
      }
      let error: string | undefined;
      let cause: string | undefined;
      if (err instanceof TaskFailure) {
        error = err.error;
        cause = err.cause;
      } else if (err instanceof AslError) {
        error = err.error;
        cause = err.cause;
      } else {
        error = 'States.TaskFailed';
        cause = err instanceof Error ? err.message : String(err);
      }
      this.host.journal(this.exec, jkey, { f: { e: error ?? null, c: cause ?? null } });
      throw fail(error, cause, false);
    }
    if (this.closed || sc.thread.signal.aborted) {
      throw sc.thread.signal.reason instanceof Error ? sc.thread.signal.reason : new RunAborted();
    }
    const text = this.text(value ?? null);
    if (byteLength(text) > MAX_PAYLOAD_BYTES) {
      const cause = `The state/task '${parsed.legacyLambda ? resource : parsed.resourceType}' returned a result with a size exceeding the maximum number of bytes service limit.`;
      throw fail('States.DataLimitExceeded', cause, false);
    }
    const [type, key] = this.taskEvent(parsed, 'Succeeded');
    this.emit(sc, type, key, { ...resInfo, output: text });
    return value ?? null;
  }

  // ------------------------------------------------------------------ Parallel

  private childThread(
    parent: Thread,
    path: string,
    signal: Cancellation,
    mapItem?: { Index: number; Value: JsonValue },
    hidden = false,
  ): Thread {
    return {
      ...(hidden || parent.hidden === true ? { hidden: true } : {}),
      path,
      seq: 0,
      vars: { ...parent.vars },
      source: parent.source,
      last: parent.last,
      signal,
      ...(mapItem !== undefined ? { mapItem } : {}),
    };
  }

  private async parallel(
    sc: StateCtx,
    input: JsonValue,
    attempt: number,
    machineQl: string,
  ): Promise<StateResult> {
    const s = sc.state;
    let branchInput: JsonValue;
    if (sc.ql === 'JSONata') {
      branchInput =
        'Arguments' in s ? await this.jsonata(sc, s['Arguments'] ?? null, { input }, 'Arguments') : input;
    } else {
      const effective = this.inputPath(sc, input);
      branchInput =
        'Parameters' in s
          ? applyTemplate(s['Parameters'] ?? null, this.scope(sc, effective), 'Parameters')
          : effective;
    }
    this.emit(sc, 'ParallelStateStarted');
    const branches = (s['Branches'] as JsonValue[]).filter(isObj) as JsonObject[];
    const ctl = new Cancellation();
    const onAbort = (): void => ctl.abort(sc.thread.signal.reason);
    sc.thread.signal.onAbort(onAbort);
    const threads = branches.map((_, i) =>
      this.childThread(sc.thread, `${sc.thread.path}@${sc.prefix.split('|')[2]}.a${attempt}.b${i}`, ctl),
    );
    let firstError: unknown;
    let failedSource = sc.thread.source;
    const results = await Promise.allSettled(
      branches.map((b, i) =>
        this.runStates(threads[i] as Thread, b, branchInput, str(s['QueryLanguage']) ?? machineQl).catch(
          (e: unknown) => {
            if (firstError === undefined) {
              firstError = e;
              failedSource = (threads[i] as Thread).source;
              ctl.abort(new RunAborted());
            }
            throw e;
          },
        ),
      ),
    );
    sc.thread.signal.offAbort(onAbort);
    for (const t of threads) sc.thread.last = Math.max(sc.thread.last, t.last);
    if (firstError !== undefined) {
      if (firstError instanceof AslError) {
        sc.thread.source = failedSource;
        sc.childFailed = true;
      }
      throw firstError;
    }
    sc.thread.source = sc.thread.last;
    const output = results.map((r) => (r.status === 'fulfilled' ? r.value : null));
    // AWS records ParallelStateSucceeded (the conformance recordings lack it only because localstack's
    // parallel-events normaliser drops the event that closes a branch block; their ids keep the gap).
    // ParallelStateExited still links to the last branch event.
    this.emit(sc, 'ParallelStateSucceeded', undefined, undefined, { update: false });
    return this.aggregateResult(sc, input, output);
  }

  private async aggregateResult(sc: StateCtx, input: JsonValue, result: JsonValue): Promise<StateResult> {
    const s = sc.state;
    if (sc.ql === 'JSONata') {
      const states = { input, result };
      const assigned = await this.assign(sc, s['Assign'], result, states);
      const output = 'Output' in s ? await this.jsonata(sc, s['Output'] ?? null, states, 'Output') : result;
      return { output, next: this.next(s), ...(assigned ? { assigned } : {}) };
    }
    const selected =
      'ResultSelector' in s
        ? applyTemplate(s['ResultSelector'] ?? null, this.scope(sc, result), 'ResultSelector')
        : result;
    const assigned = this.assignPath(sc, s['Assign'], selected);
    const afterResult = writeResult(
      input,
      'ResultPath' in s ? (s['ResultPath'] as string | null) : '$',
      selected,
    );
    return {
      output: this.outputPath(sc, afterResult),
      next: this.next(s),
      ...(assigned ? { assigned } : {}),
    };
  }

  // ------------------------------------------------------------------ Map

  private async map(
    sc: StateCtx,
    input: JsonValue,
    attempt: number,
    machineQl: string,
  ): Promise<StateResult> {
    const s = sc.state;
    const processor = (isObj(s['ItemProcessor']) ? s['ItemProcessor'] : s['Iterator']) as JsonObject;
    const config = isObj(processor['ProcessorConfig']) ? processor['ProcessorConfig'] : {};
    const distributed = config['Mode'] === 'DISTRIBUTED';
    let items: JsonValue;
    let effective = input;
    if (sc.ql === 'JSONata') {
      items = 'Items' in s ? await this.jsonata(sc, s['Items'] ?? null, { input }, 'Items') : input;
    } else {
      effective = this.inputPath(sc, input);
      if ('Items' in s) items = s['Items'] ?? null;
      else {
        // `$` (the default) keeps the items as they are (a Jackson double stays one in each iteration's input).
        const itemsPath = str(s['ItemsPath']) ?? '$';
        items = itemsPath === '$' ? effective : evalPath(itemsPath, this.scope(sc, effective), 'ItemsPath');
      }
    }
    if (!Array.isArray(items)) {
      if (sc.ql === 'JSONata' && typeof s['Items'] === 'string') {
        requireType(items, 'array', s['Items'], 'Items');
      }
      throw this.stateError(
        sc,
        sc.ql === 'JSONata' ? 'States.QueryEvaluationError' : 'States.Runtime',
        `Map state input must be an array but was: ${JSON.stringify(items)}`,
      );
    }
    // MaxConcurrency
    let maxConcurrency = num(s['MaxConcurrency']) ?? 0;
    if (typeof s['MaxConcurrencyPath'] === 'string') {
      let v = evalPath(s['MaxConcurrencyPath'], this.scope(sc, effective), 'MaxConcurrencyPath');
      if (typeof v === 'string' && /^\d+$/.test(v)) v = Number(v);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw new AslError(
          'States.Runtime',
          this.prefixed(
            sc,
            `The MaxConcurrencyPath field refers to value "${typeof v === 'object' ? JSON.stringify(v) : String(v)}" which is not a valid integer: ${s['MaxConcurrencyPath']}`,
          ),
        );
      maxConcurrency = v;
    } else if (typeof s['MaxConcurrency'] === 'string' && sc.ql === 'JSONata') {
      const v = await this.jsonata(sc, s['MaxConcurrency'], { input }, 'MaxConcurrency');
      maxConcurrency = typeof v === 'number' ? v : 0;
    }
    // ItemBatcher
    let units: JsonValue[] = items;
    const batcher = s['ItemBatcher'];
    if (isObj(batcher)) {
      const scope = this.scope(sc, effective);
      const maxItems =
        num(batcher['MaxItemsPerBatch']) ??
        (typeof batcher['MaxItemsPerBatchPath'] === 'string'
          ? num(evalPath(batcher['MaxItemsPerBatchPath'], scope, 'MaxItemsPerBatchPath'))
          : undefined) ??
        Number.MAX_SAFE_INTEGER;
      const maxBytes =
        num(batcher['MaxInputBytesPerBatch']) ??
        (typeof batcher['MaxInputBytesPerBatchPath'] === 'string'
          ? num(evalPath(batcher['MaxInputBytesPerBatchPath'], scope, 'MaxInputBytesPerBatchPath'))
          : undefined) ??
        MAX_PAYLOAD_BYTES;
      const batchInput =
        'BatchInput' in batcher
          ? sc.ql === 'JSONata'
            ? await this.jsonata(sc, batcher['BatchInput'] ?? null, { input }, 'ItemBatcher/BatchInput')
            : applyTemplate(batcher['BatchInput'] ?? null, scope, 'BatchInput')
          : undefined;
      // With a batcher, ItemSelector applies to each item before batching.
      const selector = 'ItemSelector' in s ? s['ItemSelector'] : s['Parameters'];
      let selected: JsonValue[] = items;
      if (selector !== undefined) {
        selected = [];
        for (let i = 0; i < items.length; i++) {
          const itemThread: Thread = { ...sc.thread, mapItem: { Index: i, Value: items[i] ?? null } };
          const isc: StateCtx = { ...sc, thread: itemThread, ctxCache: undefined };
          selected.push(
            sc.ql === 'JSONata'
              ? await this.jsonata(isc, selector, { input }, 'ItemSelector')
              : applyTemplate(selector, this.scope(isc, effective), 'ItemSelector'),
          );
        }
      }
      units = groupIntoBatches(selected, {
        maxItems,
        maxBytes,
        ...(batchInput !== undefined ? { batchInput } : {}),
      });
    }
    // Tolerated failures
    this.emit(sc, 'MapStateStarted', 'mapStateStartedEventDetails', { length: units.length });
    let toleratedCount = num(s['ToleratedFailureCount']);
    let toleratedPct = num(s['ToleratedFailurePercentage']);
    const tolPath = (field: string, kind: 'integer' | 'float'): number | undefined => {
      const path = s[field];
      if (typeof path !== 'string') return undefined;
      const v = evalPath(path, this.scope(sc, effective), field);
      if (typeof v !== 'number' || (kind === 'integer' && !Number.isInteger(v))) {
        const shown = typeof v === 'string' ? v : JSON.stringify(v);
        throw this.stateError(
          sc,
          'States.Runtime',
          `The ${field} field refers to value "${shown}" which is not a valid ${kind}: ${path}`,
        );
      }
      return v;
    };
    toleratedCount = tolPath('ToleratedFailureCountPath', 'integer') ?? toleratedCount;
    toleratedPct = tolPath('ToleratedFailurePercentagePath', 'float') ?? toleratedPct;
    if (toleratedCount !== undefined && toleratedCount < 0) {
      throw this.stateError(sc, 'States.Runtime', 'ToleratedFailureCount cannot be negative.');
    }
    if (toleratedPct !== undefined && (toleratedPct < 0 || toleratedPct > 100)) {
      throw this.stateError(sc, 'States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.');
    }
    const seqPart = sc.prefix.split('|')[2] ?? '';
    let mapRunArn: string | undefined;
    let mapRunStartedId: number | undefined;
    if (distributed) {
      const smName = this.exec.ex.smArn.slice(this.exec.ex.smArn.lastIndexOf(':') + 1);
      mapRunArn = `arn:aws:states:${this.host.region}:${this.host.accountId}:mapRun:${smName}/${str(s['Label']) ?? sc.name}:${randomUUID()}`;
      mapRunStartedId = this.emit(sc, 'MapRunStarted', 'mapRunStartedEventDetails', { mapRunArn }).id;
    }
    const ctl = new Cancellation();
    const onAbort = (): void => ctl.abort(sc.thread.signal.reason);
    sc.thread.signal.onAbort(onAbort);
    const results: JsonValue[] = new Array<JsonValue>(units.length).fill(null);
    let failures = 0;
    let firstError: unknown;
    const limit = maxConcurrency > 0 ? maxConcurrency : units.length;
    let nextIndex = 0;
    const processorQl = str(processor['QueryLanguage']) ?? str(s['QueryLanguage']) ?? machineQl;
    let failedSource = sc.thread.source;
    const tolerated = (): boolean => {
      if (!distributed) return false;
      if (toleratedCount !== undefined && failures <= toleratedCount) return true;
      if (toleratedPct !== undefined && units.length > 0 && (failures * 100) / units.length <= toleratedPct)
        return true;
      return false;
    };
    const runOne = async (index: number): Promise<void> => {
      const value = units[index] ?? null;
      const thread = this.childThread(
        sc.thread,
        `${sc.thread.path}@${seqPart}.a${attempt}.i${index}`,
        ctl,
        { Index: index, Value: value },
        distributed,
      );
      const ic = this.ctx(thread, 'it', sc.name, s);
      ic.enteredTime = sc.enteredTime;
      this.emit(ic, 'MapIterationStarted', 'mapIterationStartedEventDetails', { index, name: sc.name });
      let itemInput: JsonValue = value;
      const selector = 'ItemSelector' in s ? s['ItemSelector'] : s['Parameters'];
      if (selector !== undefined && !isObj(batcher)) {
        const isc: StateCtx = { ...sc, thread, ctxCache: undefined };
        itemInput =
          sc.ql === 'JSONata'
            ? await this.jsonata(isc, selector, { input }, 'ItemSelector')
            : applyTemplate(selector, this.scope(isc, effective), 'ItemSelector');
      }
      try {
        results[index] = await this.runStates(thread, processor, itemInput, processorQl);
        this.emit(
          ic,
          'MapIterationSucceeded',
          'mapIterationSucceededEventDetails',
          { index, name: sc.name },
          { update: false },
        );
      } catch (e) {
        if (e instanceof RunAborted && firstError !== undefined) {
          this.emitSafe(ic, 'MapIterationAborted', 'mapIterationAbortedEventDetails', {
            index,
            name: sc.name,
          });
          return;
        }
        if (!(e instanceof AslError)) throw e;
        this.emit(
          ic,
          'MapIterationFailed',
          'mapIterationFailedEventDetails',
          { index, name: sc.name },
          { update: false },
        );
        failures++;
        failedSource = thread.source;
        if (tolerated()) {
          results[index] = { Error: e.error ?? null, Cause: e.cause ?? null };
          return;
        }
        throw e;
      } finally {
        sc.thread.source = Math.max(sc.thread.source, thread.source);
        sc.thread.last = Math.max(sc.thread.last, thread.last);
      }
    };
    const worker = async (): Promise<void> => {
      while (firstError === undefined && nextIndex < units.length) {
        const index = nextIndex++;
        try {
          await runOne(index);
        } catch (e) {
          if (firstError === undefined) {
            firstError = e;
            ctl.abort(new RunAborted());
          }
        }
      }
    };
    const workers: Promise<void>[] = [];
    for (let w = 0; w < Math.min(limit, units.length); w++) workers.push(worker());
    await Promise.all(workers);
    sc.thread.signal.offAbort(onAbort);
    if (firstError !== undefined) {
      if (firstError instanceof AslError) {
        sc.thread.source = failedSource;
        sc.childFailed = true;
        if (distributed) {
          this.emit(sc, 'MapRunFailed', 'mapRunFailedEventDetails', {
            error: 'States.ExceedToleratedFailureThreshold',
          });
        }
        if (distributed) {
          throw new AslError(
            'States.ExceedToleratedFailureThreshold',
            'The specified tolerated failure threshold was exceeded',
          );
        }
      }
      throw firstError;
    }
    sc.thread.source = sc.thread.last;
    if (distributed) this.emit(sc, 'MapRunSucceeded');
    this.emit(sc, 'MapStateSucceeded', undefined, undefined, { update: false });
    // The Map's exit follows its MapRunStarted event (AWS since late 2024; recordings until mid 2024 show the
    // MapRunSucceeded event there: see conformance/REPORT.md, "Recordings older than an AWS change").
    if (mapRunStartedId !== undefined) sc.thread.source = mapRunStartedId;
    return this.aggregateResult(sc, input, results);
  }

  private emitSafe(sc: StateCtx, type: string, key?: string, details?: EventDetails): void {
    try {
      this.emitRaw(sc, type, key, details, { update: false });
    } catch {
      // The history limit was reached: nothing more to record.
    }
  }
}
