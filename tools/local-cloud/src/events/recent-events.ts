import { type RecentJournal, type StoredRecentEvent } from './persistence';
import { type DeliveryStatus, type RecentEvent } from './types';

const FINAL: ReadonlySet<DeliveryStatus['status']> = new Set(['delivered', 'failed', 'dead-lettered']);

/** Options of {@link RecentEventLog}. */
export interface RecentEventLogOptions {
  /** How many events the log keeps (the newest). */
  readonly limit: number;
  /**
   * Compact the journal once it holds this many records since the last compaction (default four times the limit,
   * at least 16): the journal then never holds more than `limit` events in its snapshot plus this many records
   * (one per event, one per later delivery status change). A compaction writes and fsyncs the snapshot (a few ms
   * for 200 events), so it runs every few hundred events rather than every few.
   */
  readonly compactAfterRecords?: number;
}

/**
 * The log of recent events the console's Events page shows: each received event with the rules it matched, the
 * archives that kept it and the status of each delivery, the newest `limit` of them.
 *
 * Every event and every later change of a delivery's status (retrying, delivered, failed, dead-lettered) is written
 * to a {@link RecentJournal}, and the log is read back from it when opened, so it survives a restart (kill -9
 * included: a torn last line is dropped by the durable log). The journal is compacted to the newest `limit` events
 * whenever it has grown by `compactAfterRecords` records, so it stays bounded by the limit.
 */
export class RecentEventLog {
  private readonly entries: StoredRecentEvent[] = [];
  /** The live status of each delivery not yet finished, by delivery id. */
  private readonly statuses = new Map<string, DeliveryStatus>();
  private readonly limit: number;
  private readonly compactAfterRecords: number;
  private changes = 0;

  constructor(
    private readonly journal: RecentJournal,
    options: RecentEventLogOptions,
  ) {
    this.limit = Math.max(0, Math.floor(options.limit));
    this.compactAfterRecords = options.compactAfterRecords ?? Math.max(4 * this.limit, 16);
    this.recover();
  }

  /**
   * Logs a received event. `deliveryIds[i]` identifies `event.deliveries[i]`: that status object is the live one,
   * {@link RecentEventLog.status} returns it for the delivery to update, then {@link RecentEventLog.changed} logs it.
   */
  add(event: RecentEvent, deliveryIds: readonly string[]): void {
    if (this.limit === 0) return;
    const stored: StoredRecentEvent = {
      eventBusName: event.eventBusName,
      receivedAt: event.receivedAt.getTime(),
      event: event.event,
      matchedRules: event.matchedRules,
      archives: event.archives,
      deliveries: event.deliveries,
      deliveryIds: [...deliveryIds],
    };
    this.entries.push(stored);
    this.changes++;
    this.track(stored);
    this.journal.write({ t: 'ev', e: stored });
    this.trim();
    this.maybeCompact();
  }

  /** The live status of a delivery not finished yet (undefined once its event left the log). */
  status(deliveryId: string): DeliveryStatus | undefined {
    return this.statuses.get(deliveryId);
  }

  /** Logs the status of a delivery as it is now; a final status (delivered, failed, dead-lettered) ends tracking. */
  changed(deliveryId: string): void {
    const status = this.statuses.get(deliveryId);
    if (status === undefined) return;
    if (FINAL.has(status.status)) this.statuses.delete(deliveryId);
    this.changes++;
    this.journal.write({ t: 'st', id: deliveryId, s: status });
    this.maybeCompact();
  }

  /** Changes whenever {@link RecentEventLog.list} would return something else (an event, a delivery status). */
  get version(): number {
    return this.changes;
  }

  /** The logged events, newest first, optionally of one bus and at most `limit` of them (copies). */
  list(options: { limit?: number; eventBusName?: string } = {}): RecentEvent[] {
    return this.visible()
      .filter((entry) => options.eventBusName === undefined || entry.eventBusName === options.eventBusName)
      .slice(-(options.limit ?? this.limit))
      .reverse()
      .map((entry) => ({
        eventBusName: entry.eventBusName,
        receivedAt: new Date(entry.receivedAt),
        event: structuredClone(entry.event),
        matchedRules: [...entry.matchedRules],
        archives: [...entry.archives],
        deliveries: entry.deliveries.map((status) => ({ ...status })),
      }));
  }

  /** The newest `limit` entries, oldest first. */
  private visible(): StoredRecentEvent[] {
    return this.limit === 0 ? [] : this.entries.slice(-this.limit);
  }

  private track(entry: StoredRecentEvent): void {
    entry.deliveries.forEach((status, index) => {
      const id = entry.deliveryIds[index];
      if (id !== undefined && !FINAL.has(status.status)) this.statuses.set(id, status);
    });
  }

  /**
   * Drops the oldest events past the limit, in chunks (amortised O(1) per event rather than shifting the array on
   * every event); {@link RecentEventLog.visible} cuts at the limit. The journal forgets them at its next compaction.
   */
  private trim(): void {
    if (this.entries.length <= this.limit * 2) return;
    for (const dropped of this.entries.splice(0, this.entries.length - this.limit)) {
      for (const id of dropped.deliveryIds) this.statuses.delete(id);
    }
  }

  private maybeCompact(): void {
    if (this.journal.recordsSinceCompaction < this.compactAfterRecords) return;
    this.journal.compact({ events: this.visible() });
  }

  private recover(): void {
    const { snapshot, records } = this.journal.recovered;
    for (const entry of snapshot?.events ?? []) this.restore(entry);
    for (const record of records) {
      if (record.t === 'ev') {
        this.restore(record.e);
        continue;
      }
      const status = this.statuses.get(record.id);
      if (status === undefined) continue;
      // A status record is the whole status at that point (its error fields, once set, are never removed).
      Object.assign(status, record.s);
      if (FINAL.has(status.status)) this.statuses.delete(record.id);
    }
  }

  private restore(entry: StoredRecentEvent): void {
    if (this.limit === 0) return;
    this.entries.push(entry);
    this.track(entry);
    this.trim();
  }
}
