import { DurableLog } from '@flow/durable-log';
import type { ExecutionStore, StoreRecord } from './store';

/**
 * A durable store on the local file system: an append-only, checksummed log (`@flow/durable-log`). The records
 * appended in one event-loop tick are written as one log entry (one checksummed line), so a torn write after a kill -9
 * loses at most that unacknowledged batch; the engine calls {@link FileStore.flush} before a side effect it must not
 * repeat (handing out a task token), which writes the pending batch to the OS at once. A torn last entry is cut off
 * when the log is reopened.
 *
 * This is the engine's only file-system user; the engine core never imports it.
 */
export class FileStore implements ExecutionStore {
  private pending: StoreRecord[] = [];
  private scheduled = false;

  private constructor(private readonly log: DurableLog<StoreRecord[], StoreRecord[]>) {}

  /** Opens (creating if needed) the store in directory `dir`. One process at a time. */
  static async open(dir: string): Promise<FileStore> {
    return new FileStore(await DurableLog.open<StoreRecord[], StoreRecord[]>(dir));
  }

  async load(): Promise<readonly StoreRecord[]> {
    const { snapshot, records } = this.log.recovered;
    const out: StoreRecord[] = snapshot === undefined ? [] : [...snapshot];
    for (const batch of records) out.push(...batch);
    return out;
  }

  append(record: StoreRecord): void {
    this.pending.push(record);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  async flush(): Promise<void> {
    this.drain();
    await this.log.flush();
  }

  async close(): Promise<void> {
    this.drain();
    await this.log.close();
  }

  private drain(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.log.closed) return;
    const batch = this.pending;
    this.pending = [];
    void this.log.append(batch);
    // Written now, not one more tick later: the batch already waited for the end of its tick.
    void this.log.flush();
  }
}
