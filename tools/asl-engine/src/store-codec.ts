import type { StoredEvent, StoreRecord } from './store';
import type { JsonObject } from './types';

/**
 * The compact on-disk form of {@link StoreRecord}s used by the FileStore.
 *
 * A history repeats the same JSON texts: a state's output is the next state's input, a task's input is often its
 * state's input, the execution's output is the last state's output. Written as JSON strings, each copy is escaped
 * again (every `"` of the text becomes `\"`), which made serialising the history the FileStore's main cost. So:
 *
 * - history events, journal entries, status changes and executions are tuples (`[tag, ...]`), not objects with
 *   repeated member names;
 * - the "main text" of an event (`input`, `output` or `parameters` of its details) and the `output` of a status
 *   change are written once per execution: a later copy of the same text is written as the id of the event that
 *   carried it first (event 0 is the execution's input);
 * - the details member name is omitted when it is the usual one for the event type.
 *
 * Decoding restores records equal to the ones appended (same members, same member order). State machine and
 * definition records, and records of logs written before this format (objects with a `t` member), are stored as
 * they are and decoded unchanged.
 */

/** An encoded record: a tuple, or a record stored as it is. */
export type EncodedRecord = unknown[] | StoreRecord;

const TAG_EVENT = 0;
const TAG_JOURNAL = 1;
const TAG_STATUS = 2;
const TAG_EXECUTION = 3;
/** An event whose timestamp is written as milliseconds since its execution's start (a small integer). */
const TAG_EVENT_SINCE_START = 4;

/**
 * Event types written as their index here. Append only: the index is the stored form (a type not listed is
 * written as its name).
 */
const EVENT_TYPES: readonly string[] = [
  'ExecutionStarted',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
  'ExecutionRedriven',
  'PassStateEntered',
  'PassStateExited',
  'TaskStateEntered',
  'TaskStateExited',
  'ChoiceStateEntered',
  'ChoiceStateExited',
  'WaitStateEntered',
  'WaitStateExited',
  'SucceedStateEntered',
  'SucceedStateExited',
  'FailStateEntered',
  'ParallelStateEntered',
  'ParallelStateExited',
  'ParallelStateStarted',
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'ParallelStateAborted',
  'MapStateEntered',
  'MapStateExited',
  'MapStateStarted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapStateAborted',
  'MapIterationStarted',
  'MapIterationSucceeded',
  'MapIterationFailed',
  'MapIterationAborted',
  'MapRunStarted',
  'MapRunSucceeded',
  'MapRunFailed',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'TaskStateAborted',
  'WaitStateAborted',
  'LambdaFunctionScheduled',
  'LambdaFunctionStarted',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'EvaluationFailed',
];
const TYPE_CODES = new Map(EVENT_TYPES.map((t, i) => [t, i]));

/** Texts shorter than this are written out (a reference would not save much). */
const MIN_SHARED_TEXT = 24;

const TEXT_MEMBERS = ['input', 'output', 'parameters'] as const;
type TextMember = (typeof TEXT_MEMBERS)[number];

const defaultKeys = new Map<string, string>();

/** The details member AWS uses for an event type (`TaskScheduled` → `taskScheduledEventDetails`). */
function defaultDetailsKey(type: string): string {
  let key = defaultKeys.get(type);
  if (key === undefined) {
    if (type.endsWith('StateEntered')) key = 'stateEnteredEventDetails';
    else if (type.endsWith('StateExited')) key = 'stateExitedEventDetails';
    else key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
    defaultKeys.set(type, key);
  }
  return key;
}

/** The member of a details object that carries its main JSON text, if any. */
function textMember(value: JsonObject): TextMember | undefined {
  for (const m of TEXT_MEMBERS) if (typeof value[m] === 'string') return m;
  return undefined;
}

/** A copy of `value` with `member` replaced by `ref` (member order kept). */
function withReference(value: JsonObject, member: string, ref: number): JsonObject {
  const copy: JsonObject = {};
  for (const k in value) copy[k] = k === member ? ref : (value[k] ?? null);
  return copy;
}

/**
 * Encodes records in append order. It remembers, per running execution, which texts it has written (and under
 * which event id), so it must see every record of an execution that it references, in order: one encoder per log.
 */
export class RecordEncoder {
  private readonly texts = new Map<number, Map<string, number>>();
  /** Start of each execution this encoder saw start (its events' timestamps are written relative to it). */
  private readonly starts = new Map<number, number>();

  encode(r: StoreRecord): EncodedRecord {
    switch (r.t) {
      case 'ev':
        return this.event(r.x, r.ev);
      case 'j':
        return [TAG_JOURNAL, r.x, r.k, r.v];
      case 'st': {
        const out = r.st.output;
        const ref = out === undefined ? undefined : this.texts.get(r.x)?.get(out);
        // A closed execution writes no more events (a redrive starts with fresh references).
        if (r.st.status !== 'RUNNING') {
          this.texts.delete(r.x);
          this.starts.delete(r.x);
        }
        if (ref === undefined) return [TAG_STATUS, r.x, r.st];
        return [TAG_STATUS, r.x, withReference(r.st as unknown as JsonObject, 'output', ref), 1];
      }
      case 'ex': {
        const texts = new Map<string, number>();
        if (r.ex.input.length >= MIN_SHARED_TEXT) texts.set(r.ex.input, 0);
        this.texts.set(r.x, texts);
        this.starts.set(r.x, r.ex.startDate);
        return [TAG_EXECUTION, r.x, r.d, r.ex];
      }
      default:
        return r;
    }
  }

  private event(x: number, ev: StoredEvent): unknown[] {
    const { k, id, prev, details } = ev;
    const start = this.starts.get(x);
    const tag = start === undefined ? TAG_EVENT : TAG_EVENT_SINCE_START;
    const ts = start === undefined ? ev.ts : ev.ts - start;
    const type = TYPE_CODES.get(ev.type) ?? ev.type;
    const hidden = ev.hidden === true;
    // Each tuple is made by one literal of its final length.
    if (details === undefined) {
      return hidden ? [tag, x, k, ts, type, id, prev, 0, 0, 0, 1] : [tag, x, k, ts, type, id, prev];
    }
    const key =
      ev.detailsKey === undefined || ev.detailsKey === defaultDetailsKey(ev.type) ? 0 : ev.detailsKey;
    let value = details;
    const member = textMember(value);
    if (member !== undefined) {
      const text = value[member] as string;
      if (text.length >= MIN_SHARED_TEXT) {
        let texts = this.texts.get(x);
        if (texts === undefined) {
          texts = new Map();
          this.texts.set(x, texts);
        }
        const ref = texts.get(text);
        if (ref === undefined) texts.set(text, id);
        else {
          value = withReference(value, member, ref);
          return hidden
            ? [tag, x, k, ts, type, id, prev, key, value, member, 1]
            : [tag, x, k, ts, type, id, prev, key, value, member];
        }
      }
    }
    return hidden
      ? [tag, x, k, ts, type, id, prev, key, value, 0, 1]
      : [tag, x, k, ts, type, id, prev, key, value];
  }
}

/** An event as logs written before the tuple format stored it: its details as `{ key, value }`. */
interface LegacyEvent extends Omit<StoredEvent, 'details'> {
  readonly details?: JsonObject | { readonly key: string; readonly value: JsonObject };
}

/** An event of a log written before the tuple format, in today's shape (details flat on the event). */
function fromLegacyEvent(ev: LegacyEvent): StoredEvent {
  const d = ev.details;
  if (d === undefined || ev.detailsKey !== undefined) return ev as StoredEvent;
  const { k, ts, type, id, prev } = ev;
  const detailsKey = d['key'] as string;
  const details = d['value'] as JsonObject;
  return ev.hidden === true
    ? { k, ts, type, id, prev, detailsKey, details, hidden: true }
    : { k, ts, type, id, prev, detailsKey, details };
}

/** Thrown when a stored record cannot be decoded (a reference to a text that was never written). */
export class StoreDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreDecodeError';
  }
}

/** Decodes records in log order (it resolves text references against the events decoded before). */
export class RecordDecoder {
  /** Per execution: event id → its main text (0: the execution input). */
  private readonly texts = new Map<number, Map<number, string>>();
  /** Per execution: its start (epoch ms). */
  private readonly starts = new Map<number, number>();

  decode(e: EncodedRecord): StoreRecord {
    if (!Array.isArray(e)) {
      if (e.t === 'ex') this.starts.set(e.x, e.ex.startDate);
      if (e.t === 'ev') return { t: 'ev', x: e.x, ev: fromLegacyEvent(e.ev) };
      return e;
    }
    const x = e[1] as number;
    switch (e[0]) {
      case TAG_EVENT:
        return { t: 'ev', x, ev: this.event(x, e, 0) };
      case TAG_EVENT_SINCE_START: {
        const start = this.starts.get(x);
        if (start === undefined) throw new StoreDecodeError(`execution #${x}: an event before the execution`);
        return { t: 'ev', x, ev: this.event(x, e, start) };
      }
      case TAG_JOURNAL:
        return { t: 'j', x, k: e[2] as string, v: e[3] as JsonObject };
      case TAG_STATUS: {
        let st = e[2] as JsonObject;
        if (e[3] === 1) st = this.resolve(x, st, 'output');
        return { t: 'st', x, st: st as unknown as Extract<StoreRecord, { t: 'st' }>['st'] };
      }
      case TAG_EXECUTION: {
        const ex = e[3] as Extract<StoreRecord, { t: 'ex' }>['ex'];
        this.texts.set(x, new Map([[0, ex.input]]));
        this.starts.set(x, ex.startDate);
        return { t: 'ex', x, d: e[2] as string, ex };
      }
      default:
        throw new StoreDecodeError(`unknown store record tag ${JSON.stringify(e[0])}`);
    }
  }

  private event(x: number, e: readonly unknown[], start: number): StoredEvent {
    const code = e[4];
    const type = typeof code === 'number' ? EVENT_TYPES[code] : (code as string);
    if (type === undefined)
      throw new StoreDecodeError(`execution #${x}: unknown event type code ${String(code)}`);
    const id = e[5] as number;
    const k = e[2] as string;
    const ts = (e[3] as number) + start;
    const prev = e[6] as number;
    const hidden = e[10] === 1;
    // Made by one literal of its final shape, as the engine makes events.
    if (e.length <= 8 || e[8] === 0)
      return hidden ? { k, ts, type, id, prev, hidden } : { k, ts, type, id, prev };
    let value = e[8] as JsonObject;
    const referenced = e[9];
    if (typeof referenced === 'string') value = this.resolve(x, value, referenced);
    const member = textMember(value);
    if (member !== undefined) {
      let texts = this.texts.get(x);
      if (texts === undefined) {
        texts = new Map();
        this.texts.set(x, texts);
      }
      if (!texts.has(id)) texts.set(id, value[member] as string);
    }
    const key = e[7];
    const detailsKey = typeof key === 'string' ? key : defaultDetailsKey(type);
    return hidden
      ? { k, ts, type, id, prev, detailsKey, details: value, hidden }
      : { k, ts, type, id, prev, detailsKey, details: value };
  }

  private resolve(x: number, value: JsonObject, member: string): JsonObject {
    const ref = value[member];
    const text = typeof ref === 'number' ? this.texts.get(x)?.get(ref) : undefined;
    if (text === undefined)
      throw new StoreDecodeError(
        `execution #${x}: ${member} refers to event ${String(ref)}, which has no text`,
      );
    const copy: JsonObject = {};
    for (const k in value) copy[k] = k === member ? text : (value[k] ?? null);
    return copy;
  }
}
