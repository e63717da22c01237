import * as path from 'node:path';
import { DurableLog } from '@flow/durable-log';
import {
  type DeliveryStatus,
  type EventEnvelope,
  type ReplayState,
  type RuleState,
  type Target,
} from './types';

export interface BusRecord {
  name: string;
  description?: string;
  created: number;
  modified: number;
}
export interface RuleRecord {
  bus: string;
  name: string;
  pattern?: string;
  schedule?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  created: number;
}
export interface ArchiveRecord {
  name: string;
  sourceArn: string;
  description?: string;
  pattern?: string;
  retentionDays: number;
  created: number;
}
export interface ArchivedEvent {
  /** Ingestion time (epoch ms). */
  at: number;
  /** The event's `time` (epoch ms), what replays select on. */
  time: number;
  event: EventEnvelope;
  size: number;
}
export interface ReplayRecord {
  name: string;
  arn: string;
  description?: string;
  sourceArn: string;
  destination: { Arn: string; FilterArns?: string[] };
  start: number;
  end: number;
  state: ReplayState;
  reason?: string;
  lastReplayed?: number;
  replayStart: number;
  replayEnd?: number;
}
/** One event on its way to one target (kept until delivered, dead-lettered or dropped). */
export interface DeliveryRecord {
  id: string;
  bus: string;
  ruleName: string;
  ruleArn: string;
  target: Target;
  input: string;
  event: EventEnvelope;
  /** Attempts made so far. */
  attempts: number;
  firstAt: number;
  nextAt: number;
}

/** One entry of the recent-events log as stored (a `RecentEvent` with its time in epoch ms and delivery ids). */
export interface StoredRecentEvent {
  eventBusName: string;
  /** Epoch ms. */
  receivedAt: number;
  event: EventEnvelope;
  matchedRules: string[];
  archives: string[];
  deliveries: DeliveryStatus[];
  /** The {@link DeliveryRecord} id of each of `deliveries`, same order (how later status changes find it). */
  deliveryIds: string[];
}

/** The recent-events log's changes: an event received, or the new status of one of its deliveries. */
export type RecentRecord = { t: 'ev'; e: StoredRecentEvent } | { t: 'st'; id: string; s: DeliveryStatus };

/** A compacted copy of the recent-events log: the newest events, oldest first. */
export interface RecentSnapshot {
  events: StoredRecentEvent[];
}

/**
 * The recent-events log's own journal (beside the events journal, compacted on its own, so that it stays bounded by
 * the log's limit without rewriting archives).
 */
export interface RecentJournal {
  readonly recovered: { snapshot: RecentSnapshot | undefined; records: readonly RecentRecord[] };
  write(record: RecentRecord): void;
  /** Records written since the last compaction (recovered ones included). */
  readonly recordsSinceCompaction: number;
  compact(snapshot: RecentSnapshot): void;
}

/** The EventBridge state changes written to the durable log, one record each. */
export type EventsRecord =
  | { t: 'bus'; bus: BusRecord }
  | { t: 'dropBus'; name: string }
  | { t: 'rule'; rule: RuleRecord }
  | { t: 'dropRule'; bus: string; name: string }
  | { t: 'targets'; bus: string; rule: string; targets: Target[] }
  | { t: 'archive'; archive: ArchiveRecord }
  | { t: 'dropArchive'; name: string }
  | { t: 'arch'; a: string; e: ArchivedEvent }
  | { t: 'replay'; replay: ReplayRecord }
  | { t: 'dlv'; d: DeliveryRecord }
  | { t: 'done'; id: string };

/** A compacted copy of the whole EventBridge state. */
export interface EventsSnapshot {
  buses: BusRecord[];
  rules: { rule: RuleRecord; targets: Target[] }[];
  archives: { archive: ArchiveRecord; events: ArchivedEvent[] }[];
  replays: ReplayRecord[];
  deliveries: DeliveryRecord[];
}

/** Where state changes go: a durable log, or nowhere (in-memory service). */
export interface EventsPersistence {
  readonly recovered: { snapshot: EventsSnapshot | undefined; records: readonly EventsRecord[] };
  /** The recent-events log (the console's Events page). */
  readonly recent: RecentJournal;
  write(record: EventsRecord): void;
  maybeCompact(snapshot: () => EventsSnapshot): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const memoryPersistence = (): EventsPersistence => ({
  recovered: { snapshot: undefined, records: [] },
  recent: {
    recovered: { snapshot: undefined, records: [] },
    write: () => undefined,
    recordsSinceCompaction: 0,
    compact: () => undefined,
  },
  write: () => undefined,
  maybeCompact: () => undefined,
  flush: async () => undefined,
  close: async () => undefined,
});

/** The recent-events journal's file in the events data folder (its snapshot is `recent.jsonl.snapshot`). */
export const RECENT_LOG_FILE = 'recent.jsonl';

/**
 * Persistence on `@flow/durable-log` in `dir`: the events journal (`log.jsonl`, `snapshot.json`; compacted once it
 * passes `compactAfterBytes`) and the recent-events journal ({@link RECENT_LOG_FILE}; compacted by the service).
 */
export async function durablePersistence(
  dir: string,
  options: { fsync?: boolean; compactAfterBytes?: number } = {},
): Promise<EventsPersistence> {
  const logOptions = options.fsync === undefined ? {} : { fsync: options.fsync };
  const log = await DurableLog.open<EventsRecord, EventsSnapshot>(dir, logOptions);
  let recentLog: DurableLog<RecentRecord, RecentSnapshot>;
  try {
    recentLog = await DurableLog.open<RecentRecord, RecentSnapshot>(
      path.join(dir, RECENT_LOG_FILE),
      logOptions,
    );
  } catch (error) {
    await log.close();
    throw error;
  }
  const threshold = options.compactAfterBytes ?? 32 * 1024 * 1024;
  let failure: unknown;
  const recent: RecentJournal = {
    recovered: recentLog.recovered,
    write: (record) => {
      recentLog.append(record).catch((error: unknown) => {
        failure ??= error;
      });
    },
    get recordsSinceCompaction() {
      return recentLog.recordsSinceCompaction;
    },
    compact: (snapshot) => {
      recentLog.compact(snapshot).catch((error: unknown) => {
        failure ??= error;
      });
    },
  };
  return {
    recovered: log.recovered,
    recent,
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
      await Promise.all([log.flush(), recentLog.flush()]);
      if (failure !== undefined) throw failure;
    },
    close: async () => {
      try {
        await log.close();
      } finally {
        await recentLog.close();
      }
    },
  };
}
