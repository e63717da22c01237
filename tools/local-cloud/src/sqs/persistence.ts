import { DurableLog } from '@flow/durable-log';
import { type DedupEntry, type QueueMeta, type StoredMessage } from './queue';
import { type MessageMoveTaskResult } from './types';

/** A message move task (also its persisted form). */
export interface MoveTaskState {
  id: string;
  handle: string;
  sourceArn: string;
  destinationArn?: string;
  rate?: number;
  status: MessageMoveTaskResult['Status'];
  toMove: number;
  moved: number;
  started: number;
  failureReason?: string;
}

/** The SQS state changes written to the durable log, one record each. */
export type SqsRecord =
  | { t: 'queue'; meta: QueueMeta }
  | { t: 'dropQueue'; q: string }
  | { t: 'put'; q: string; m: StoredMessage }
  | { t: 'recv'; q: string; id: string; h: string; v: number; c: number; f: number }
  | { t: 'vis'; q: string; id: string; v: number }
  | { t: 'del'; q: string; id: string }
  | { t: 'purge'; q: string; at: number }
  | { t: 'task'; task: MoveTaskState };

/** A compacted copy of the whole SQS state. */
export interface SqsSnapshot {
  queues: { meta: QueueMeta; messages: StoredMessage[]; dedup: [string, DedupEntry][] }[];
  tasks: MoveTaskState[];
}

/** Where SQS state changes go: a durable log, or nowhere (in-memory service). */
export interface SqsPersistence {
  readonly recovered: { snapshot: SqsSnapshot | undefined; records: readonly SqsRecord[] };
  write(record: SqsRecord): void;
  /** Compacts when the log has grown past its threshold; `snapshot` is only called then. */
  maybeCompact(snapshot: () => SqsSnapshot): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const memoryPersistence = (): SqsPersistence => ({
  recovered: { snapshot: undefined, records: [] },
  write: () => undefined,
  maybeCompact: () => undefined,
  flush: async () => undefined,
  close: async () => undefined,
});

/** Persistence on `@flow/durable-log` in `dir`; compacts once the log passes `compactAfterBytes`. */
export async function durablePersistence(
  dir: string,
  options: { fsync?: boolean; compactAfterBytes?: number } = {},
): Promise<SqsPersistence> {
  const log = await DurableLog.open<SqsRecord, SqsSnapshot>(
    dir,
    options.fsync === undefined ? {} : { fsync: options.fsync },
  );
  const threshold = options.compactAfterBytes ?? 16 * 1024 * 1024;
  let failure: unknown;
  return {
    recovered: log.recovered,
    write: (record) => {
      log.append(record).catch((error: unknown) => {
        failure ??= error;
      });
    },
    maybeCompact: (snapshot) => {
      if (log.sizeBytes < threshold) return;
      log.compact(snapshot()).catch((error: unknown) => {
        failure ??= error;
      });
    },
    flush: async () => {
      await log.flush();
      if (failure !== undefined) throw failure;
    },
    close: () => log.close(),
  };
}
