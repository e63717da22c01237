import { DurableLog } from '@flow/durable-log';
import type { ExecutionStore, StoreRecord } from './store';

/**
 * A durable store on the local file system: an append-only, checksummed log (`@flow/durable-log`). Appends of one
 * event-loop tick are written in one batch; a batch is written to the OS before the engine performs a side effect it
 * must not repeat, so a kill -9 loses nothing acknowledged; a torn last record is cut off when the log is reopened.
 *
 * This is the engine's only file-system user; the engine core never imports it.
 */
export class FileStore implements ExecutionStore {
  private constructor(private readonly log: DurableLog<StoreRecord, StoreRecord[]>) {}

  /** Opens (creating if needed) the store in directory `dir`. One process at a time. */
  static async open(dir: string): Promise<FileStore> {
    return new FileStore(await DurableLog.open<StoreRecord, StoreRecord[]>(dir));
  }

  async load(): Promise<readonly StoreRecord[]> {
    const { snapshot, records } = this.log.recovered;
    return snapshot === undefined ? records : [...snapshot, ...records];
  }

  append(record: StoreRecord): void {
    void this.log.append(record);
  }

  async flush(): Promise<void> {
    await this.log.flush();
  }

  async close(): Promise<void> {
    await this.log.close();
  }
}
