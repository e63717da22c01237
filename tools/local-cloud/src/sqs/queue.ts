import { type RedrivePolicy, parseRedrivePolicy, withDefaults } from './attributes';
import { type MessageAttributeValue } from './md5';
import { type QueueAttributes } from './types';

/** A message as the service keeps it (also its persisted form). */
export interface StoredMessage {
  id: string;
  body: string;
  md5: string;
  attrs?: Record<string, MessageAttributeValue>;
  md5Attrs?: string;
  sys?: Record<string, MessageAttributeValue>;
  md5Sys?: string;
  /** SentTimestamp (epoch ms). */
  sent: number;
  /** Epoch ms from which the message can be received (delay or visibility timeout). */
  visibleAt: number;
  /** ApproximateReceiveCount. */
  count: number;
  /** ApproximateFirstReceiveTimestamp. */
  first?: number;
  /** The receipt handle of the latest receive. */
  handle?: string;
  group?: string;
  dedup?: string;
  seq?: string;
  dlqSource?: string;
}

/** A queue's definition (also its persisted form). */
export interface QueueMeta {
  name: string;
  fifo: boolean;
  /** Settable attributes as set (defaults are not stored). */
  attributes: QueueAttributes;
  created: number;
  modified: number;
  tags: Record<string, string>;
  lastPurge?: number;
  /** Last FIFO sequence number handed out. */
  seqCounter: number;
}

export interface DedupEntry {
  messageId: string;
  seq?: string;
  expires: number;
}

export type MessageState = 'visible' | 'inFlight' | 'delayed';

/** FIFO deduplication interval. */
export const DEDUP_INTERVAL_MS = 5 * 60 * 1000;

/** One queue's state: its definition, its messages in send order, and its FIFO deduplication window. */
export class Queue {
  readonly messages = new Map<string, StoredMessage>();
  readonly dedup = new Map<string, DedupEntry>();
  private redriveCache: { source: string | undefined; policy: RedrivePolicy | undefined } | undefined;

  constructor(
    public meta: QueueMeta,
    readonly arn: string,
  ) {}

  get name(): string {
    return this.meta.name;
  }

  get fifo(): boolean {
    return this.meta.fifo;
  }

  /** All settable attributes with defaults. */
  get effectiveAttributes(): QueueAttributes {
    return withDefaults(this.meta.attributes, this.meta.fifo);
  }

  private numberAttribute(name: string, fallback: number): number {
    const value = this.meta.attributes[name];
    return value === undefined ? fallback : Number(value);
  }

  get visibilityTimeoutSeconds(): number {
    return this.numberAttribute('VisibilityTimeout', 30);
  }

  get delaySeconds(): number {
    return this.numberAttribute('DelaySeconds', 0);
  }

  get retentionMs(): number {
    return this.numberAttribute('MessageRetentionPeriod', 345600) * 1000;
  }

  get waitTimeSeconds(): number {
    return this.numberAttribute('ReceiveMessageWaitTimeSeconds', 0);
  }

  get maximumMessageSize(): number {
    return this.numberAttribute('MaximumMessageSize', 262144);
  }

  get contentBasedDeduplication(): boolean {
    return this.meta.attributes['ContentBasedDeduplication'] === 'true';
  }

  get dedupByGroup(): boolean {
    return this.meta.attributes['DeduplicationScope'] === 'messageGroup';
  }

  get redrivePolicy(): RedrivePolicy | undefined {
    const source = this.meta.attributes['RedrivePolicy'];
    let cache = this.redriveCache;
    if (cache === undefined || cache.source !== source) {
      cache = { source, policy: source === undefined ? undefined : parseRedrivePolicy(source) };
      this.redriveCache = cache;
    }
    return cache.policy;
  }

  /** Where a message stands at `now`. */
  static state(message: StoredMessage, now: number): MessageState {
    if (message.visibleAt <= now) return 'visible';
    return message.count === 0 ? 'delayed' : 'inFlight';
  }

  /** True if the message is past the queue's retention period. */
  isExpired(message: StoredMessage, now: number): boolean {
    return message.sent + this.retentionMs <= now;
  }

  counts(now: number): Record<MessageState, number> {
    const counts = { visible: 0, inFlight: 0, delayed: 0 };
    for (const message of this.messages.values()) {
      if (this.isExpired(message, now)) continue;
      counts[Queue.state(message, now)]++;
    }
    return counts;
  }

  /** Deduplication key of a FIFO message (scoped by group when DeduplicationScope is messageGroup). */
  dedupKey(dedupId: string, group: string | undefined): string {
    return this.dedupByGroup ? `${group ?? ''}\u0000${dedupId}` : dedupId;
  }

  /** Records a FIFO message in the deduplication window. */
  remember(message: StoredMessage): void {
    if (!this.fifo || message.dedup === undefined) return;
    const entry: DedupEntry = { messageId: message.id, expires: message.sent + DEDUP_INTERVAL_MS };
    if (message.seq !== undefined) entry.seq = message.seq;
    this.dedup.set(this.dedupKey(message.dedup, message.group), entry);
  }

  /** The live deduplication entry for a key, dropping expired ones. */
  duplicateOf(key: string, now: number): DedupEntry | undefined {
    const entry = this.dedup.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= now) {
      this.dedup.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired deduplication entries (bounded memory). */
  pruneDedup(now: number): void {
    for (const [key, entry] of this.dedup) if (entry.expires <= now) this.dedup.delete(key);
  }

  /** Earliest future time at which some message becomes visible, if any. */
  nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now && (next === undefined || message.visibleAt < next))
        next = message.visibleAt;
    }
    return next;
  }
}
