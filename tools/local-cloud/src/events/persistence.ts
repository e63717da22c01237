import { DurableLog } from '@flow/durable-log';
import { type EventEnvelope, type ReplayState, type RuleState, type Target } from './types';

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
  write(record: EventsRecord): void;
  maybeCompact(snapshot: () => EventsSnapshot): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const memoryPersistence = (): EventsPersistence => ({
  recovered: { snapshot: undefined, records: [] },
  write: () => undefined,
  maybeCompact: () => undefined,
  flush: async () => undefined,
  close: async () => undefined,
});

export async function durablePersistence(
  dir: string,
  options: { fsync?: boolean; compactAfterBytes?: number } = {},
): Promise<EventsPersistence> {
  const log = await DurableLog.open<EventsRecord, EventsSnapshot>(
    dir,
    options.fsync === undefined ? {} : { fsync: options.fsync },
  );
  const threshold = options.compactAfterBytes ?? 32 * 1024 * 1024;
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
