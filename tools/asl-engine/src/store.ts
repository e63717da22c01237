import type { JsonObject } from './types';

/** A stored history event: the API shape with the timestamp as epoch ms, plus the engine's replay key. */
export interface StoredEvent {
  /** Replay key: lets a resumed execution recognise events it already recorded. */
  readonly k: string;
  readonly ts: number;
  readonly type: string;
  readonly id: number;
  readonly prev: number;
  /** The member of the API event that holds {@link StoredEvent.details} (e.g. `stateEnteredEventDetails`). */
  readonly detailsKey?: string;
  /**
   * The event's details (kept flat on the event: one object less per event in memory), without the
   * `inputDetails` / `outputDetails` / `assignedVariablesDetails` members, which are always `{ truncated: false }`:
   * GetExecutionHistory adds them back after `input` / `output` / `assignedVariables`. (Details stored by earlier
   * versions with these members are returned as they are.)
   */
  readonly details?: JsonObject;
  /** Takes an id but is not returned by GetExecutionHistory (AWS does the same with ParallelStateSucceeded). */
  readonly hidden?: boolean;
}

/** A state machine as stored. */
export interface StoredStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly definition: string;
  readonly roleArn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly creationDate: number;
  readonly loggingConfiguration?: unknown;
  readonly tracingConfiguration?: { enabled?: boolean };
  readonly revisionId: string;
}

/** The immutable facts of an execution, fixed at start. */
export interface StoredExecution {
  readonly arn: string;
  readonly smArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  /** The definition the execution runs (a later UpdateStateMachine does not change a running execution). */
  readonly definition: string;
  readonly roleArn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly traceHeader?: string;
}

/** Status change of an execution (close, redrive). */
export interface StoredStatus {
  readonly status: string;
  readonly stopDate?: number;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly redriveCount?: number;
  readonly redriveDate?: number;
}

/**
 * One record of the store's append-only log. The engine rebuilds all of its state from the records, in order:
 * state machines, executions, their history events, status changes, and the journal (what a resumed execution needs
 * to continue without re-running completed work: state checkpoints, task tokens, callback outcomes, wait deadlines).
 */
export type StoreRecord =
  | { readonly t: 'sm'; readonly sm: StoredStateMachine }
  | { readonly t: 'smDel'; readonly arn: string }
  /** A definition text, stored once and referenced by executions (`d`). */
  | { readonly t: 'def'; readonly d: string; readonly text: string }
  /** An execution: `x` is its short id in the other records, `d` its definition's id (`ex.definition` is empty). */
  | { readonly t: 'ex'; readonly x: number; readonly d: string; readonly ex: StoredExecution }
  | { readonly t: 'ev'; readonly x: number; readonly ev: StoredEvent }
  | { readonly t: 'st'; readonly x: number; readonly st: StoredStatus }
  | { readonly t: 'j'; readonly x: number; readonly k: string; readonly v: JsonObject };

/** Everything durable about state machines and executions, as an append-only log of {@link StoreRecord}s. */
export interface ExecutionStore {
  /** Every record appended so far (by this or an earlier process), in order. */
  load(): Promise<readonly StoreRecord[]>;
  /** Appends a record. May be buffered; records are written in order. The record must not be mutated afterwards. */
  append(record: StoreRecord): void;
  /** Writes buffered records now (the engine calls it before and after side effects it must not repeat). */
  flush(): Promise<void>;
  /**
   * Optional group commit: resolves once every record appended so far is written, like {@link flush}, but
   * the callers of one burst of work (the microtasks queued when it is called) may share one write. For answers
   * that must follow the write (StartExecution), not for side effects that must follow it at once.
   */
  commit?(): Promise<void>;
  close(): Promise<void>;
}

/** An in-memory store: a new Engine over the same instance resumes its executions (handy in tests). */
export class MemoryStore implements ExecutionStore {
  /** The records, a history event standing for its `ev` record (no wrapper kept per event). */
  private readonly records: Array<StoreRecord | StoredEvent> = [];
  /** Per entry of `records`: the execution of an event, 0 for other records. */
  private readonly executionOf: number[] = [];

  async load(): Promise<readonly StoreRecord[]> {
    return this.records.map((r, i): StoreRecord =>
      't' in r ? r : { t: 'ev', x: this.executionOf[i] ?? 0, ev: r },
    );
  }

  append(record: StoreRecord): void {
    if (record.t === 'ev') {
      this.records.push(record.ev);
      this.executionOf.push(record.x);
    } else {
      this.records.push(record);
      this.executionOf.push(0);
    }
  }

  async flush(): Promise<void> {
    // Nothing is buffered.
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  /** Number of records held (for tests and diagnostics). */
  get size(): number {
    return this.records.length;
  }
}
