import { DurableLog } from '@flow/durable-log';
import type { ExecutionStore, StoreRecord } from './store';
import { compactRecords } from './store-compaction';
import { RecordDecoder, RecordEncoder, type EncodedRecord } from './store-codec';

/** Records per log entry (the records of a tick are written together, in one or more entries). */
const RECORDS_PER_ENTRY = 64;

/** Options of {@link FileStore.open}. */
export interface FileStoreOptions {
  /**
   * Compact the log when it is opened and holds at least this many records (default 20,000), if compaction
   * drops at least a tenth of them. 0 compacts whenever that holds; `Infinity` never compacts.
   */
  readonly compactAfterRecords?: number;
}

/**
 * A durable store on the local file system: an append-only, checksummed log (`@flow/durable-log`) of the
 * {@link StoreRecord}s in a compact encoding (./store-codec.ts: tuples, each JSON text written once per execution).
 *
 * **What is on disk when.** Records are buffered and written (one `write` of checksummed log entries of up to 64
 * records each, in order: a kill in the middle of the write keeps a prefix of them) at the end of the event-loop
 * tick, or at once when the engine calls {@link FileStore.flush}. A write is in the OS page cache when it returns,
 * so it survives kill -9 of this process (not a power loss: no fsync per write; `close` syncs).
 * The engine flushes, i.e. these are written before the effect is visible outside the engine:
 *
 * - StartExecution answers after the execution's record is written: a started execution is never lost (the
 *   executions started in one burst of work share that write: {@link FileStore.commit});
 * - a `.waitForTaskToken` task's token is written before the task is dispatched (the token handed out is
 *   always known after a restart), and the integration's answer before the task starts waiting;
 * - SendTaskSuccess / SendTaskFailure answer after the outcome is written: an acknowledged callback is never lost
 *   (a restarted engine delivers it, and a second one is refused with TaskTimedOut);
 * - CreateStateMachine, UpdateStateMachine, DeleteStateMachine, StopExecution and RedriveExecution answer after
 *   their records are written.
 *
 * Everything else (history events, checkpoints of completed states, Wait deadlines, retry backoffs) is written at
 * the end of its tick. After a kill -9, a request-response task whose result was not written yet is invoked again
 * on resume (at-least-once, as AWS may also retry an invocation); a task whose completion was written never is.
 * A torn last entry (a kill in the middle of a write) is cut off when the log is reopened.
 *
 * **Compaction.** When opened, a log with many records is compacted (./store-compaction.ts: superseded state
 * machines, journals of succeeded executions, merged journal entries) into a snapshot, written atomically by
 * `@flow/durable-log`; histories are kept whole.
 *
 * This is the engine's only file-system user; the engine core never imports it.
 */
export class FileStore implements ExecutionStore {
  private pending: StoreRecord[] = [];
  private scheduled = false;
  private readonly encoder = new RecordEncoder();
  private loaded: StoreRecord[] | undefined;
  private committing: Promise<void> | undefined;

  private constructor(
    private readonly log: DurableLog<EncodedRecord[], EncodedRecord[]>,
    private readonly compactAfterRecords: number,
  ) {}

  /** Opens (creating if needed) the store in directory `dir`. One process at a time. */
  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const log = await DurableLog.open<EncodedRecord[], EncodedRecord[]>(dir);
    return new FileStore(log, options.compactAfterRecords ?? 20_000);
  }

  async load(): Promise<readonly StoreRecord[]> {
    if (this.loaded === undefined) this.loaded = await this.recover();
    return this.loaded.slice();
  }

  /** Reads the snapshot and the log, compacting them first when that pays (before anything new is appended). */
  private async recover(): Promise<StoreRecord[]> {
    const { snapshot, records: batches } = this.log.recovered;
    const decoder = new RecordDecoder();
    const records: StoreRecord[] = [];
    if (snapshot !== undefined) for (const e of snapshot) records.push(decoder.decode(e));
    const fromSnapshot = records.length;
    for (const batch of batches) for (const e of batch) records.push(decoder.decode(e));
    if (records.length - fromSnapshot < this.compactAfterRecords || this.pending.length > 0) return records;
    const compacted = compactRecords(records);
    if (compacted.length === records.length || compacted.length > records.length * 0.9) return records;
    const encoder = new RecordEncoder();
    await this.log.compact(compacted.map((r) => encoder.encode(r)));
    return compacted;
  }

  append(record: StoreRecord): void {
    this.pending.push(record);
    // One end-of-tick drain pending at a time: a flush in between leaves it (it then finds less or nothing to do).
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drainAtEndOfTick);
    }
  }

  private readonly drainAtEndOfTick = (): void => {
    this.scheduled = false;
    this.drain();
  };

  async flush(): Promise<void> {
    this.drain();
    await this.log.flush();
  }

  /**
   * Group commit: the first call queues one write behind the microtasks already queued (the rest of the burst of
   * work that called it), and every call until then shares it. Resolves once the records are written.
   */
  commit(): Promise<void> {
    this.committing ??= Promise.resolve().then(() => {
      this.committing = undefined;
      return this.flush();
    });
    return this.committing;
  }

  async close(): Promise<void> {
    this.drain();
    await this.log.close();
  }

  /** Bytes in the log since the last compaction (diagnostics). */
  get logBytes(): number {
    return this.log.sizeBytes;
  }

  private drain(): void {
    if (this.pending.length === 0 || this.log.closed) return;
    const batch = this.pending;
    this.pending = [];
    // Log entries of at most RECORDS_PER_ENTRY records (a few KiB of JSON each): JSON.stringify returns a large
    // text as a rope of pieces, which costs more to write into the log's buffer than the same text in small ones.
    for (let start = 0; start < batch.length; start += RECORDS_PER_ENTRY) {
      const end = Math.min(batch.length, start + RECORDS_PER_ENTRY);
      const encoded: EncodedRecord[] = new Array<EncodedRecord>(end - start);
      for (let i = start; i < end; i++) encoded[i - start] = this.encoder.encode(batch[i] as StoreRecord);
      void this.log.append(encoded);
    }
    // Written now (all entries in one write), not one more tick later: the batch already waited for its tick's end.
    void this.log.flush();
  }
}
