import { createHash, randomUUID } from 'node:crypto';
import {
  isKnownAttribute,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  validateAttributes,
} from './attributes';
import { type Clock, SystemClock, type TimerHandle } from './clock';
import { type BatchResultErrorEntry, SqsError, sqsErrors, toBatchError } from './errors';
import { type MessageAttributeValue, md5OfBody, md5OfMessageAttributes } from './md5';
import {
  durablePersistence,
  memoryPersistence,
  type MoveTaskState,
  type SqsPersistence,
  type SqsRecord,
  type SqsSnapshot,
} from './persistence';
import { type QueueMeta, Queue, type StoredMessage } from './queue';
import { newReceiptHandle, parseReceiptHandle } from './receipt-handle';
import {
  type BatchIdsOutput,
  type ChangeMessageVisibilityBatchInput,
  type ChangeMessageVisibilityInput,
  type CreateQueueInput,
  type DeleteMessageBatchInput,
  type DeleteMessageInput,
  type GetQueueAttributesInput,
  type GetQueueUrlInput,
  type ListMessageMoveTasksInput,
  type ListQueuesInput,
  type ListQueuesOutput,
  type MessageMoveTaskResult,
  type PeekedMessage,
  type QueueAttributes,
  type QueueStats,
  type QueueUrlInput,
  type ReceivedMessage,
  type ReceiveMessageInput,
  type ReceiveMessageOutput,
  type ReceiveOptions,
  type SendMessageBatchEntry,
  type SendMessageBatchInput,
  type SendMessageBatchOutput,
  type SendMessageInput,
  type SendMessageOutput,
  type SetQueueAttributesInput,
  type StartMessageMoveTaskInput,
} from './types';
import {
  integerParameter,
  normaliseAttributes,
  validateBatchEntries,
  validateBody,
  validateMessageAttributes,
} from './validation';

/** Options of {@link SqsService.open}. */
export interface SqsServiceOptions {
  /** Directory of the durable log; omit for an in-memory service. */
  readonly dataDir?: string;
  /** Time source (defaults to the system clock). */
  readonly clock?: Clock;
  /** Base URL of queue URLs, e.g. `http://127.0.0.1:4566` (can change later with {@link SqsService.setEndpoint}). */
  readonly endpoint?: string;
  readonly region?: string;
  readonly accountId?: string;
  /** fsync every batch of log writes (slower; survives power loss). */
  readonly fsync?: boolean;
  /** Compact the log once it is this big (default 16 MiB). */
  readonly compactAfterBytes?: number;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const SYSTEM_ATTRIBUTE_NAMES = new Set([
  'All',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
]);
const PURGE_INTERVAL_MS = 60_000;
const SEQUENCE_BASE = 10n ** 19n;
const DEFAULT_MOVE_RATE = 500;

interface Waiter {
  readonly queue: Queue;
  readonly max: number;
  readonly visibilityTimeout: number;
  readonly respond: (messages: StoredMessage[]) => void;
  timer?: TimerHandle;
}

interface SendPlan {
  readonly message: StoredMessage;
  readonly duplicateOf?: { messageId: string; seq?: string };
}

/**
 * Amazon SQS as a library: standard and FIFO queues with the service's semantics (visibility timeouts, receive counts,
 * redrive to a dead-letter queue, delays, message attributes and their MD5s, long polling, FIFO deduplication and
 * message groups, purge, message move tasks). Inputs and outputs are the SQS JSON-protocol shapes; failures are
 * {@link SqsError}s carrying both the JSON and the query-protocol error codes.
 *
 * With a `dataDir`, every state change goes to a durable log, so queued messages survive a restart (kill -9 included)
 * and in-flight ones reappear once their visibility timeout has passed.
 */
export class SqsService {
  private readonly queues = new Map<string, Queue>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly wakeTimers = new Map<string, { at: number; handle: TimerHandle }>();
  private readonly tasks = new Map<string, MoveTaskState>();
  private readonly taskTimers = new Map<string, TimerHandle>();
  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;
  private endpoint: string;
  private closed = false;

  private constructor(
    private readonly persistence: SqsPersistence,
    options: SqsServiceOptions,
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.endpoint = (options.endpoint ?? 'http://127.0.0.1:4566').replace(/\/+$/, '');
    this.replay(persistence.recovered.snapshot, persistence.recovered.records);
  }

  /** Opens the service, replaying its durable log when `dataDir` is given. */
  static async open(options: SqsServiceOptions = {}): Promise<SqsService> {
    const persistence =
      options.dataDir === undefined
        ? memoryPersistence()
        : await durablePersistence(options.dataDir, {
            ...(options.fsync === undefined ? {} : { fsync: options.fsync }),
            ...(options.compactAfterBytes === undefined
              ? {}
              : { compactAfterBytes: options.compactAfterBytes }),
          });
    const service = new SqsService(persistence, options);
    service.resumeAfterReplay();
    return service;
  }

  /** Changes the base URL used in queue URLs (e.g. once the server knows its port). */
  setEndpoint(endpoint: string): void {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  /** The queue URL of a queue name. */
  queueUrl(name: string): string {
    return `${this.endpoint}/${this.accountId}/${name}`;
  }

  /** The queue ARN of a queue name. */
  queueArn(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  /** The queue URL of a queue ARN (undefined if no such queue exists). */
  queueUrlFromArn(arn: string): string | undefined {
    const queue = this.queueByArn(arn);
    return queue === undefined ? undefined : this.queueUrl(queue.name);
  }

  /** Writes pending log records and waits for them to be acknowledged. */
  async flush(): Promise<void> {
    await this.persistence.flush();
  }

  /** Answers pending long polls with no messages, stops timers and closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const list of this.waiters.values()) for (const waiter of [...list]) this.finishWaiter(waiter, []);
    for (const { handle } of this.wakeTimers.values()) this.clock.clearTimer(handle);
    for (const handle of this.taskTimers.values()) this.clock.clearTimer(handle);
    this.wakeTimers.clear();
    this.taskTimers.clear();
    await this.persistence.close();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Queues

  createQueue(input: CreateQueueInput): { QueueUrl: string } {
    const name = input.QueueName;
    if (name === undefined || name === '') throw sqsErrors.missingParameter('QueueName');
    if (typeof name !== 'string') throw sqsErrors.invalidParameterValue('QueueName must be a string.');
    const wantsFifo = String(input.Attributes?.['FifoQueue'] ?? 'false') === 'true';
    if (wantsFifo ? !FIFO_QUEUE_NAME.test(name) : !QUEUE_NAME.test(name)) {
      throw sqsErrors.invalidParameterValue(
        wantsFifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const attributes = validateAttributes(input.Attributes, wantsFifo, true);
    delete attributes['FifoQueue'];
    this.checkRedriveAttributes(name, wantsFifo, attributes);
    const existing = this.queues.get(name);
    if (existing) {
      const current = existing.effectiveAttributes;
      for (const [key, value] of Object.entries(attributes)) {
        if (current[key] !== value) throw sqsErrors.queueNameExists(key);
      }
      return { QueueUrl: this.queueUrl(name) };
    }
    const now = this.clock.now();
    const meta: QueueMeta = {
      name,
      fifo: wantsFifo,
      attributes,
      created: now,
      modified: now,
      tags: { ...(input.tags ?? {}) },
      seqCounter: 0,
    };
    this.queues.set(name, new Queue(meta, this.queueArn(name)));
    this.write({ t: 'queue', meta });
    return { QueueUrl: this.queueUrl(name) };
  }

  getQueueUrl(input: GetQueueUrlInput): { QueueUrl: string } {
    if (input.QueueName === undefined || input.QueueName === '')
      throw sqsErrors.missingParameter('QueueName');
    if (input.QueueOwnerAWSAccountId !== undefined && input.QueueOwnerAWSAccountId !== this.accountId) {
      throw sqsErrors.queueDoesNotExist();
    }
    if (!this.queues.has(input.QueueName)) throw sqsErrors.queueDoesNotExist();
    return { QueueUrl: this.queueUrl(input.QueueName) };
  }

  listQueues(input: ListQueuesInput = {}): ListQueuesOutput {
    const max = integerParameter('MaxResults', input.MaxResults, 1, 1000);
    const prefix = input.QueueNamePrefix ?? '';
    const names = [...this.queues.keys()].filter((name) => name.startsWith(prefix)).sort();
    let start = 0;
    if (input.NextToken !== undefined) {
      const after = Buffer.from(input.NextToken, 'base64url').toString('utf8');
      start = names.findIndex((name) => name > after);
      if (start === -1) start = names.length;
    }
    const page = max === undefined ? names.slice(start) : names.slice(start, start + max);
    const out: ListQueuesOutput = {};
    if (page.length > 0) out.QueueUrls = page.map((name) => this.queueUrl(name));
    const last = page[page.length - 1];
    if (max !== undefined && last !== undefined && start + page.length < names.length) {
      out.NextToken = Buffer.from(last, 'utf8').toString('base64url');
    }
    return out;
  }

  deleteQueue(input: QueueUrlInput): Record<string, never> {
    const queue = this.requireQueue(input.QueueUrl);
    this.queues.delete(queue.name);
    for (const waiter of [...(this.waiters.get(queue.name) ?? [])]) this.finishWaiter(waiter, []);
    this.clearWakeTimer(queue.name);
    this.write({ t: 'dropQueue', q: queue.name });
    return {};
  }

  purgeQueue(input: QueueUrlInput): Record<string, never> {
    const queue = this.requireQueue(input.QueueUrl);
    const now = this.clock.now();
    if (queue.meta.lastPurge !== undefined && now - queue.meta.lastPurge < PURGE_INTERVAL_MS) {
      throw sqsErrors.purgeQueueInProgress(queue.name);
    }
    queue.messages.clear();
    queue.meta.lastPurge = now;
    this.write({ t: 'purge', q: queue.name, at: now });
    return {};
  }

  getQueueAttributes(input: GetQueueAttributesInput): { Attributes?: QueueAttributes } {
    const queue = this.requireQueue(input.QueueUrl);
    const requested = input.AttributeNames ?? [];
    if (!Array.isArray(requested)) throw sqsErrors.invalidParameterValue('AttributeNames must be a list.');
    for (const name of requested)
      if (name !== 'All' && !isKnownAttribute(name)) throw sqsErrors.invalidAttributeName(name);
    const all = this.allAttributes(queue);
    const wanted = requested.includes('All') ? Object.keys(all) : requested;
    const out: QueueAttributes = {};
    for (const name of wanted) {
      const value = all[name];
      if (value !== undefined) out[name] = value;
    }
    return Object.keys(out).length === 0 ? {} : { Attributes: out };
  }

  setQueueAttributes(input: SetQueueAttributesInput): Record<string, never> {
    const queue = this.requireQueue(input.QueueUrl);
    if (input.Attributes === undefined) throw sqsErrors.missingParameter('Attributes');
    const attributes = validateAttributes(input.Attributes, queue.fifo, false);
    this.checkRedriveAttributes(queue.name, queue.fifo, attributes);
    const merged = { ...queue.meta.attributes };
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '' && (name === 'RedrivePolicy' || name === 'RedriveAllowPolicy' || name === 'Policy')) {
        delete merged[name];
      } else {
        merged[name] = value;
      }
    }
    queue.meta = { ...queue.meta, attributes: merged, modified: this.clock.now() };
    this.write({ t: 'queue', meta: queue.meta });
    this.serviceWaiters(queue);
    return {};
  }

  tagQueue(input: QueueUrlInput & { Tags?: Record<string, string> }): Record<string, never> {
    const queue = this.requireQueue(input.QueueUrl);
    queue.meta = { ...queue.meta, tags: { ...queue.meta.tags, ...(input.Tags ?? {}) } };
    this.write({ t: 'queue', meta: queue.meta });
    return {};
  }

  untagQueue(input: QueueUrlInput & { TagKeys?: string[] }): Record<string, never> {
    const queue = this.requireQueue(input.QueueUrl);
    const tags = { ...queue.meta.tags };
    for (const key of input.TagKeys ?? []) delete tags[key];
    queue.meta = { ...queue.meta, tags };
    this.write({ t: 'queue', meta: queue.meta });
    return {};
  }

  listQueueTags(input: QueueUrlInput): { Tags?: Record<string, string> } {
    const queue = this.requireQueue(input.QueueUrl);
    return Object.keys(queue.meta.tags).length === 0 ? {} : { Tags: { ...queue.meta.tags } };
  }

  listDeadLetterSourceQueues(input: QueueUrlInput): { queueUrls: string[] } {
    const queue = this.requireQueue(input.QueueUrl);
    return { queueUrls: this.deadLetterSources(queue).map((source) => this.queueUrl(source.name)) };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Sending

  sendMessage(input: SendMessageInput): SendMessageOutput {
    const queue = this.requireQueue(input.QueueUrl);
    const plan = this.planSend(queue, input);
    return this.commitSend(queue, plan);
  }

  sendMessageBatch(input: SendMessageBatchInput): SendMessageBatchOutput {
    const queue = this.requireQueue(input.QueueUrl);
    const entries = validateBatchEntries<SendMessageBatchEntry>(
      input.Entries,
      'SendMessageBatchRequestEntry',
    );
    const total = entries.reduce((sum, entry) => sum + this.payloadSize(entry), 0);
    // The batch limit is the service's (256 KiB, or the queue's larger MaximumMessageSize), not a small queue limit.
    const limit = Math.max(262144, queue.maximumMessageSize);
    if (total > limit) throw sqsErrors.batchRequestTooLong(limit, total);
    const out: SendMessageBatchOutput = { Successful: [], Failed: [] };
    for (const entry of entries) {
      const id = entry.Id ?? '';
      try {
        out.Successful.push({ Id: id, ...this.commitSend(queue, this.planSend(queue, entry)) });
      } catch (error) {
        out.Failed.push(this.batchFailure(id, error));
      }
    }
    return out;
  }

  private payloadSize(entry: SendMessageBatchEntry): number {
    try {
      return (
        (typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody, 'utf8') : 0) +
        validateMessageAttributes(entry.MessageAttributes)
      );
    } catch {
      return 0; // reported per entry
    }
  }

  private planSend(queue: Queue, input: Omit<SendMessageInput, 'QueueUrl'>): SendPlan {
    const bodySize = validateBody(input.MessageBody);
    const body = input.MessageBody ?? '';
    const size = bodySize + validateMessageAttributes(input.MessageAttributes);
    validateMessageAttributes(input.MessageSystemAttributes, true);
    if (size > queue.maximumMessageSize) {
      throw sqsErrors.invalidParameterValue(
        `One or more parameters are invalid. Reason: Message must be shorter than ${queue.maximumMessageSize} bytes.`,
      );
    }
    const delay = integerParameter(
      'DelaySeconds',
      input.DelaySeconds,
      0,
      900,
      'Must be >= 0 and <= 900, if provided.',
    );
    const now = this.clock.now();
    const attrs = normaliseAttributes(input.MessageAttributes);
    const sys = normaliseAttributes(input.MessageSystemAttributes);
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      md5: md5OfBody(body),
      sent: now,
      visibleAt: now + (delay ?? queue.delaySeconds) * 1000,
      count: 0,
    };
    if (attrs) {
      message.attrs = attrs;
      message.md5Attrs = md5OfMessageAttributes(attrs) ?? '';
    }
    if (sys) {
      message.sys = sys;
      message.md5Sys = md5OfMessageAttributes(sys) ?? '';
    }
    const group = input.MessageGroupId;
    if (group !== undefined) {
      if (typeof group !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(group)) {
        throw sqsErrors.invalidParameter(
          'MessageGroupId',
          group,
          'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
        );
      }
      message.group = group;
    }
    if (!queue.fifo) {
      if (input.MessageDeduplicationId !== undefined) {
        throw sqsErrors.invalidParameter(
          'MessageDeduplicationId',
          input.MessageDeduplicationId,
          'The request includes a parameter that is not valid for this queue type.',
        );
      }
      return { message };
    }
    if (delay !== undefined && delay !== 0) {
      throw sqsErrors.invalidParameter(
        'DelaySeconds',
        delay,
        'The request include parameter that is not valid for this queue type.',
      );
    }
    if (group === undefined) throw sqsErrors.missingParameter('MessageGroupId');
    let dedup = input.MessageDeduplicationId;
    if (dedup === undefined) {
      if (!queue.contentBasedDeduplication) {
        throw sqsErrors.invalidParameterValue(
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      }
      dedup = createHash('sha256').update(body, 'utf8').digest('hex');
    } else if (typeof dedup !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(dedup)) {
      throw sqsErrors.invalidParameter(
        'MessageDeduplicationId',
        dedup,
        'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    message.dedup = dedup;
    const duplicate = queue.duplicateOf(queue.dedupKey(dedup, group), now);
    if (duplicate) {
      return {
        message,
        duplicateOf:
          duplicate.seq === undefined
            ? { messageId: duplicate.messageId }
            : { messageId: duplicate.messageId, seq: duplicate.seq },
      };
    }
    return { message };
  }

  private commitSend(queue: Queue, plan: SendPlan): SendMessageOutput {
    const { message } = plan;
    const out: SendMessageOutput = { MessageId: message.id, MD5OfMessageBody: message.md5 };
    if (message.md5Attrs !== undefined) out.MD5OfMessageAttributes = message.md5Attrs;
    if (message.md5Sys !== undefined) out.MD5OfMessageSystemAttributes = message.md5Sys;
    if (plan.duplicateOf) {
      // A duplicate within the deduplication interval is accepted but not delivered again.
      out.MessageId = plan.duplicateOf.messageId;
      if (plan.duplicateOf.seq !== undefined) out.SequenceNumber = plan.duplicateOf.seq;
      return out;
    }
    if (queue.fifo) {
      queue.meta.seqCounter++;
      message.seq = (SEQUENCE_BASE + BigInt(queue.meta.seqCounter)).toString();
      out.SequenceNumber = message.seq;
    }
    queue.messages.set(message.id, message);
    queue.remember(message);
    this.write({ t: 'put', q: queue.name, m: message });
    this.serviceWaiters(queue);
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Receiving

  /**
   * ReceiveMessage. With WaitTimeSeconds (or the queue's ReceiveMessageWaitTimeSeconds) > 0 and nothing to receive,
   * waits until a message becomes available (a send, a delay or visibility timeout running out) or the time is up.
   */
  async receiveMessage(
    input: ReceiveMessageInput,
    options: ReceiveOptions = {},
  ): Promise<ReceiveMessageOutput> {
    const queue = this.requireQueue(input.QueueUrl);
    const max = integerParameter('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10) ?? 1;
    const visibilityTimeout =
      integerParameter(
        'VisibilityTimeout',
        input.VisibilityTimeout,
        0,
        43200,
        'Must be >= 0 and <= 43200, if provided.',
      ) ?? queue.visibilityTimeoutSeconds;
    const waitSeconds =
      integerParameter(
        'WaitTimeSeconds',
        input.WaitTimeSeconds,
        0,
        20,
        'Must be >= 0 and <= 20, if provided.',
      ) ?? queue.waitTimeSeconds;
    const systemNames = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
    for (const name of systemNames)
      if (!SYSTEM_ATTRIBUTE_NAMES.has(name)) throw sqsErrors.invalidAttributeName(name);
    const attributeNames = input.MessageAttributeNames ?? [];

    const render = (messages: StoredMessage[]): ReceiveMessageOutput =>
      messages.length === 0
        ? {}
        : {
            Messages: messages.map((message) =>
              this.renderMessage(queue, message, systemNames, attributeNames),
            ),
          };

    const immediate = this.take(queue, max, visibilityTimeout);
    if (immediate.length > 0 || waitSeconds === 0 || options.signal?.aborted === true || this.closed) {
      return render(immediate);
    }
    const messages = await new Promise<StoredMessage[]>((resolve) => {
      const waiter: Waiter = {
        queue,
        max,
        visibilityTimeout,
        respond: (taken) => {
          options.signal?.removeEventListener('abort', onAbort);
          resolve(taken);
        },
      };
      const onAbort = (): void => this.finishWaiter(waiter, []);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      waiter.timer = this.clock.setTimer(this.clock.now() + waitSeconds * 1000, () =>
        this.finishWaiter(waiter, []),
      );
      const list = this.waiters.get(queue.name) ?? [];
      list.push(waiter);
      this.waiters.set(queue.name, list);
      this.scheduleWake(queue);
    });
    return render(messages);
  }

  /** Picks up to `max` receivable messages, marks them in flight (or redrives them) and logs it. */
  private take(queue: Queue, max: number, visibilityTimeout: number): StoredMessage[] {
    const now = this.clock.now();
    const taken: StoredMessage[] = [];
    const blockedGroups = new Set<string>();
    const redrive = queue.redrivePolicy;
    const dlq = redrive === undefined ? undefined : this.queueByArn(redrive.deadLetterTargetArn);
    // Deleting the current entry of a Map while iterating it is safe: iteration carries on with the next one.
    for (const message of queue.messages.values()) {
      if (taken.length >= max) break;
      if (queue.isExpired(message, now)) {
        this.removeMessage(queue, message);
        continue;
      }
      const group = queue.fifo ? (message.group ?? '') : undefined;
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (redrive !== undefined && dlq !== undefined && message.count >= redrive.maxReceiveCount) {
        this.moveToDeadLetterQueue(queue, message, dlq);
        continue;
      }
      message.count++;
      message.first ??= now;
      message.visibleAt = now + visibilityTimeout * 1000;
      message.handle = newReceiptHandle({
        queueName: queue.name,
        messageId: message.id,
        receiveCount: message.count,
      });
      this.write({
        t: 'recv',
        q: queue.name,
        id: message.id,
        h: message.handle,
        v: message.visibleAt,
        c: message.count,
        f: message.first,
      });
      taken.push(message);
    }
    return taken;
  }

  private moveToDeadLetterQueue(source: Queue, message: StoredMessage, dlq: Queue): void {
    const moved: StoredMessage = { ...message, visibleAt: this.clock.now(), dlqSource: source.arn };
    delete moved.handle;
    if (dlq.fifo && moved.seq === undefined) {
      dlq.meta.seqCounter++;
      moved.seq = (SEQUENCE_BASE + BigInt(dlq.meta.seqCounter)).toString();
    }
    dlq.messages.set(moved.id, moved);
    this.write({ t: 'put', q: dlq.name, m: moved });
    this.removeMessage(source, message);
    this.serviceWaiters(dlq);
  }

  private renderMessage(
    queue: Queue,
    message: StoredMessage,
    systemNames: readonly string[],
    attributeNames: readonly string[],
  ): ReceivedMessage {
    const out: ReceivedMessage = {
      MessageId: message.id,
      ReceiptHandle: message.handle ?? '',
      MD5OfBody: message.md5,
      Body: message.body,
    };
    const all = systemNames.includes('All');
    const wants = (name: string): boolean => all || systemNames.includes(name);
    const attributes: Record<string, string> = {};
    if (wants('SenderId')) attributes['SenderId'] = this.accountId;
    if (wants('SentTimestamp')) attributes['SentTimestamp'] = String(message.sent);
    if (wants('ApproximateReceiveCount')) attributes['ApproximateReceiveCount'] = String(message.count);
    if (wants('ApproximateFirstReceiveTimestamp') && message.first !== undefined) {
      attributes['ApproximateFirstReceiveTimestamp'] = String(message.first);
    }
    if (wants('MessageGroupId') && message.group !== undefined) attributes['MessageGroupId'] = message.group;
    if (queue.fifo && wants('SequenceNumber') && message.seq !== undefined)
      attributes['SequenceNumber'] = message.seq;
    if (queue.fifo && wants('MessageDeduplicationId') && message.dedup !== undefined) {
      attributes['MessageDeduplicationId'] = message.dedup;
    }
    const trace = message.sys?.['AWSTraceHeader']?.StringValue;
    if (wants('AWSTraceHeader') && trace !== undefined) attributes['AWSTraceHeader'] = trace;
    if (wants('DeadLetterQueueSourceArn') && message.dlqSource !== undefined) {
      attributes['DeadLetterQueueSourceArn'] = message.dlqSource;
    }
    if (Object.keys(attributes).length > 0) out.Attributes = attributes;
    const selected = selectMessageAttributes(message.attrs, attributeNames);
    if (selected !== undefined) {
      out.MessageAttributes = selected;
      const md5 = md5OfMessageAttributes(selected);
      if (md5 !== undefined) out.MD5OfMessageAttributes = md5;
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Deleting and visibility

  deleteMessage(input: DeleteMessageInput): Record<string, never> {
    const queue = this.requireQueue(input.QueueUrl);
    this.deleteByHandle(queue, input.ReceiptHandle);
    return {};
  }

  deleteMessageBatch(input: DeleteMessageBatchInput): BatchIdsOutput {
    const queue = this.requireQueue(input.QueueUrl);
    const entries = validateBatchEntries<{ Id?: string; ReceiptHandle?: string }>(
      input.Entries,
      'DeleteMessageBatchRequestEntry',
    );
    const out: BatchIdsOutput = { Successful: [], Failed: [] };
    for (const entry of entries) {
      const id = entry.Id ?? '';
      try {
        this.deleteByHandle(queue, entry.ReceiptHandle);
        out.Successful.push({ Id: id });
      } catch (error) {
        out.Failed.push(this.batchFailure(id, error));
      }
    }
    return out;
  }

  /**
   * Deletes the message a receipt handle stands for. As in SQS: a handle that is not the message's latest one (the
   * message was received again since) succeeds without deleting; a handle of a message already gone succeeds; a
   * FIFO handle whose visibility timeout has run out is rejected as expired; a malformed handle is invalid.
   */
  private deleteByHandle(queue: Queue, handle: unknown): void {
    const parts = parseReceiptHandle(handle);
    if (parts.queueName !== queue.name) throw sqsErrors.receiptHandleIsInvalid(String(handle));
    const message = queue.messages.get(parts.messageId);
    if (message === undefined || message.handle !== handle) return;
    if (queue.fifo && message.visibleAt <= this.clock.now()) {
      throw sqsErrors.invalidParameter('ReceiptHandle', handle, 'The receipt handle has expired.');
    }
    this.removeMessage(queue, message);
    if (queue.fifo) this.serviceWaiters(queue);
  }

  changeMessageVisibility(input: ChangeMessageVisibilityInput): Record<string, never> {
    const queue = this.requireQueue(input.QueueUrl);
    this.changeVisibility(queue, input.ReceiptHandle, input.VisibilityTimeout);
    return {};
  }

  changeMessageVisibilityBatch(input: ChangeMessageVisibilityBatchInput): BatchIdsOutput {
    const queue = this.requireQueue(input.QueueUrl);
    const entries = validateBatchEntries<{ Id?: string; ReceiptHandle?: string; VisibilityTimeout?: number }>(
      input.Entries,
      'ChangeMessageVisibilityBatchRequestEntry',
    );
    const out: BatchIdsOutput = { Successful: [], Failed: [] };
    for (const entry of entries) {
      const id = entry.Id ?? '';
      try {
        this.changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout);
        out.Successful.push({ Id: id });
      } catch (error) {
        out.Failed.push(this.batchFailure(id, error));
      }
    }
    return out;
  }

  private changeVisibility(queue: Queue, handle: unknown, timeout: unknown): void {
    if (timeout === undefined || timeout === null) throw sqsErrors.missingParameter('VisibilityTimeout');
    const seconds =
      integerParameter('VisibilityTimeout', timeout, 0, 43200, 'Must be >= 0 and <= 43200, if provided.') ??
      0;
    const parts = parseReceiptHandle(handle);
    if (parts.queueName !== queue.name) throw sqsErrors.receiptHandleIsInvalid(String(handle));
    const message = queue.messages.get(parts.messageId);
    const now = this.clock.now();
    if (message === undefined || message.handle !== handle) {
      throw sqsErrors.invalidParameter(
        'ReceiptHandle',
        handle,
        'Message does not exist or is not available for visibility timeout change.',
      );
    }
    if (message.visibleAt <= now) throw sqsErrors.messageNotInflight();
    message.visibleAt = now + seconds * 1000;
    this.write({ t: 'vis', q: queue.name, id: message.id, v: message.visibleAt });
    this.serviceWaiters(queue);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Message move tasks (dead-letter queue redrive)

  startMessageMoveTask(input: StartMessageMoveTaskInput): { TaskHandle: string } {
    if (input.SourceArn === undefined || input.SourceArn === '')
      throw sqsErrors.missingParameter('SourceArn');
    const source = this.queueByArn(input.SourceArn);
    if (source === undefined) {
      throw sqsErrors.resourceNotFound(
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    }
    if (this.deadLetterSources(source).length === 0) {
      throw sqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
    }
    if (input.DestinationArn !== undefined && this.queueByArn(input.DestinationArn) === undefined) {
      throw sqsErrors.resourceNotFound(
        "The resource that you specified for the DestinationArn parameter doesn't exist.",
      );
    }
    const rate = integerParameter('MaxNumberOfMessagesPerSecond', input.MaxNumberOfMessagesPerSecond, 1, 500);
    for (const task of this.tasks.values()) {
      if (task.sourceArn === source.arn && task.status === 'RUNNING') {
        throw sqsErrors.unsupportedOperation(
          'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
        );
      }
    }
    const id = randomUUID();
    const task: MoveTaskState = {
      id,
      handle: Buffer.from(JSON.stringify({ taskId: id, sourceArn: source.arn }), 'utf8').toString('base64'),
      sourceArn: source.arn,
      status: 'RUNNING',
      toMove: source.counts(this.clock.now()).visible,
      moved: 0,
      started: this.clock.now(),
    };
    if (input.DestinationArn !== undefined) task.destinationArn = input.DestinationArn;
    if (rate !== undefined) task.rate = rate;
    this.tasks.set(id, task);
    this.write({ t: 'task', task: { ...task } });
    this.scheduleTask(task, this.clock.now());
    return { TaskHandle: task.handle };
  }

  listMessageMoveTasks(input: ListMessageMoveTasksInput): { Results: MessageMoveTaskResult[] } {
    if (input.SourceArn === undefined || input.SourceArn === '')
      throw sqsErrors.missingParameter('SourceArn');
    if (this.queueByArn(input.SourceArn) === undefined) {
      throw sqsErrors.resourceNotFound(
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    }
    const max = integerParameter('MaxResults', input.MaxResults, 1, 10) ?? 1;
    const results = [...this.tasks.values()]
      .filter((task) => task.sourceArn === input.SourceArn)
      .sort((a, b) => b.started - a.started)
      .slice(0, max)
      .map((task) => {
        const result: MessageMoveTaskResult = {
          Status: task.status,
          SourceArn: task.sourceArn,
          ApproximateNumberOfMessagesMoved: task.moved,
          ApproximateNumberOfMessagesToMove: task.toMove,
          StartedTimestamp: task.started,
        };
        if (task.status === 'RUNNING') result.TaskHandle = task.handle;
        if (task.destinationArn !== undefined) result.DestinationArn = task.destinationArn;
        if (task.rate !== undefined) result.MaxNumberOfMessagesPerSecond = task.rate;
        if (task.failureReason !== undefined) result.FailureReason = task.failureReason;
        return result;
      });
    return { Results: results };
  }

  cancelMessageMoveTask(input: { TaskHandle?: string }): { ApproximateNumberOfMessagesMoved: number } {
    if (input.TaskHandle === undefined || input.TaskHandle === '')
      throw sqsErrors.missingParameter('TaskHandle');
    const task = [...this.tasks.values()].find((candidate) => candidate.handle === input.TaskHandle);
    if (task === undefined) throw sqsErrors.resourceNotFound('Task does not exist.');
    if (task.status !== 'RUNNING')
      throw sqsErrors.unsupportedOperation('Only active tasks can be cancelled.');
    task.status = 'CANCELLED';
    const timer = this.taskTimers.get(task.id);
    if (timer) this.clock.clearTimer(timer);
    this.taskTimers.delete(task.id);
    this.write({ t: 'task', task: { ...task } });
    return { ApproximateNumberOfMessagesMoved: task.moved };
  }

  private scheduleTask(task: MoveTaskState, at: number): void {
    this.taskTimers.set(
      task.id,
      this.clock.setTimer(at, () => {
        this.taskTimers.delete(task.id);
        this.stepTask(task);
      }),
    );
  }

  /** Moves one second's worth of messages (MaxNumberOfMessagesPerSecond, default 500) and reschedules itself. */
  private stepTask(task: MoveTaskState): void {
    if (task.status !== 'RUNNING' || this.closed) return;
    const source = this.queueByArn(task.sourceArn);
    const fail = (reason: string): void => {
      task.status = 'FAILED';
      task.failureReason = reason;
      this.write({ t: 'task', task: { ...task } });
    };
    if (source === undefined) return fail('AWS.SimpleQueueService.NonExistentQueue');
    const now = this.clock.now();
    const budget = task.rate ?? DEFAULT_MOVE_RATE;
    let movedNow = 0;
    for (const message of [...source.messages.values()]) {
      if (movedNow >= budget || task.moved >= task.toMove) break;
      if (message.visibleAt > now || source.isExpired(message, now)) continue;
      const destinationArn = task.destinationArn ?? message.dlqSource;
      const destination = destinationArn === undefined ? undefined : this.queueByArn(destinationArn);
      if (destination === undefined) return fail('AWS.SimpleQueueService.NonExistentQueue');
      const moved: StoredMessage = { ...message, sent: now, visibleAt: now, count: 0 };
      delete moved.handle;
      delete moved.first;
      delete moved.dlqSource;
      if (destination.fifo) {
        destination.meta.seqCounter++;
        moved.seq = (SEQUENCE_BASE + BigInt(destination.meta.seqCounter)).toString();
      } else {
        delete moved.seq;
      }
      destination.messages.set(moved.id, moved);
      this.write({ t: 'put', q: destination.name, m: moved });
      this.removeMessage(source, message);
      this.serviceWaiters(destination);
      movedNow++;
      task.moved++;
    }
    const remaining = source.counts(now).visible;
    if (task.moved >= task.toMove || remaining === 0) {
      task.status = 'COMPLETED';
      this.write({ t: 'task', task: { ...task } });
      return;
    }
    this.write({ t: 'task', task: { ...task } });
    this.scheduleTask(task, now + 1000);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Console

  /** Depth, in-flight, delayed and dead-letter counts of every queue, by name. */
  stats(): QueueStats[] {
    const now = this.clock.now();
    return [...this.queues.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((queue) => {
        const counts = queue.counts(now);
        const stats: QueueStats = {
          name: queue.name,
          url: this.queueUrl(queue.name),
          arn: queue.arn,
          fifo: queue.fifo,
          visible: counts.visible,
          inFlight: counts.inFlight,
          delayed: counts.delayed,
          deadLetterSourceQueues: this.deadLetterSources(queue).map((source) => source.name),
        };
        const redrive = queue.redrivePolicy;
        const dlq = redrive === undefined ? undefined : this.queueByArn(redrive.deadLetterTargetArn);
        if (redrive !== undefined && dlq !== undefined) {
          const dlqCounts = dlq.counts(now);
          stats.deadLetterQueue = {
            arn: dlq.arn,
            name: dlq.name,
            maxReceiveCount: redrive.maxReceiveCount,
            depth: dlqCounts.visible + dlqCounts.inFlight + dlqCounts.delayed,
          };
        }
        return stats;
      });
  }

  /** The messages of a queue (by URL or name), oldest first, without changing their visibility. */
  peek(queueUrlOrName: string, options: { limit?: number } = {}): PeekedMessage[] {
    const queue = this.requireQueue(queueUrlOrName);
    const now = this.clock.now();
    const out: PeekedMessage[] = [];
    for (const message of queue.messages.values()) {
      if (out.length >= (options.limit ?? 100)) break;
      if (queue.isExpired(message, now)) continue;
      const peeked: PeekedMessage = {
        messageId: message.id,
        state: Queue.state(message, now),
        body: message.body,
        receiveCount: message.count,
        sentTimestamp: message.sent,
        visibleAt: message.visibleAt,
      };
      if (message.attrs !== undefined) peeked.messageAttributes = structuredClone(message.attrs);
      if (message.first !== undefined) peeked.firstReceiveTimestamp = message.first;
      if (message.group !== undefined) peeked.messageGroupId = message.group;
      if (message.seq !== undefined) peeked.sequenceNumber = message.seq;
      if (message.dlqSource !== undefined) peeked.deadLetterQueueSourceArn = message.dlqSource;
      out.push(peeked);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  private allAttributes(queue: Queue): QueueAttributes {
    const counts = queue.counts(this.clock.now());
    return {
      ...queue.effectiveAttributes,
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.meta.created / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.meta.modified / 1000)),
    };
  }

  private checkRedriveAttributes(name: string, fifo: boolean, attributes: QueueAttributes): void {
    const value = attributes['RedrivePolicy'];
    if (value === undefined || value === '') return;
    const policy = parseRedrivePolicy(value);
    if (policy === undefined) return;
    const dlq = this.queueByArn(policy.deadLetterTargetArn);
    const invalid = (reason: string) => sqsErrors.invalidParameter('RedrivePolicy', value, reason);
    if (dlq === undefined) throw invalid('Dead letter target does not exist.');
    if (dlq.name === name) throw invalid('A queue cannot be its own dead-letter queue.');
    if (dlq.fifo !== fifo) throw invalid('Dead-letter queue must be same type of queue as the source.');
    const allow = dlq.meta.attributes['RedriveAllowPolicy'];
    const allowPolicy = allow === undefined ? undefined : parseRedriveAllowPolicy(allow);
    const sourceArn = this.queueArn(name);
    if (
      allowPolicy !== undefined &&
      (allowPolicy.redrivePermission === 'denyAll' ||
        (allowPolicy.redrivePermission === 'byQueue' && !allowPolicy.sourceQueueArns.includes(sourceArn)))
    ) {
      throw invalid('Dead-letter target owner does not allow this source queue to redrive to it.');
    }
  }

  private deadLetterSources(queue: Queue): Queue[] {
    return [...this.queues.values()].filter(
      (candidate) => candidate.redrivePolicy?.deadLetterTargetArn === queue.arn,
    );
  }

  private queueByArn(arn: string): Queue | undefined {
    const prefix = `arn:aws:sqs:${this.region}:${this.accountId}:`;
    return arn.startsWith(prefix) ? this.queues.get(arn.slice(prefix.length)) : undefined;
  }

  /** Finds a queue by URL (any host; the account must match) or by bare name. */
  private requireQueue(queueUrl: unknown): Queue {
    if (queueUrl === undefined || queueUrl === null || queueUrl === '')
      throw sqsErrors.missingParameter('QueueUrl');
    if (typeof queueUrl !== 'string') throw sqsErrors.invalidParameterValue('QueueUrl must be a string.');
    let name = queueUrl;
    if (queueUrl.includes('/')) {
      const segments = queueUrl
        .replace(/^[a-z]+:\/\/[^/]+/i, '')
        .split('/')
        .filter((segment) => segment !== '');
      name = segments[segments.length - 1] ?? '';
      const account = segments[segments.length - 2];
      if (account !== undefined && account !== this.accountId) throw sqsErrors.queueDoesNotExist();
    }
    const queue = this.queues.get(name);
    if (queue === undefined) throw sqsErrors.queueDoesNotExist();
    return queue;
  }

  private removeMessage(queue: Queue, message: StoredMessage): void {
    queue.messages.delete(message.id);
    this.write({ t: 'del', q: queue.name, id: message.id });
  }

  private batchFailure(id: string, error: unknown): BatchResultErrorEntry {
    if (error instanceof SqsError) return toBatchError(id, error);
    throw error;
  }

  private write(record: SqsRecord): void {
    this.persistence.write(record);
    this.persistence.maybeCompact(() => this.snapshot());
  }

  private snapshot(): SqsSnapshot {
    const now = this.clock.now();
    return {
      queues: [...this.queues.values()].map((queue) => {
        queue.pruneDedup(now);
        return {
          meta: queue.meta,
          messages: [...queue.messages.values()],
          dedup: [...queue.dedup.entries()],
        };
      }),
      tasks: [...this.tasks.values()],
    };
  }

  private replay(snapshot: SqsSnapshot | undefined, records: readonly SqsRecord[]): void {
    for (const saved of snapshot?.queues ?? []) {
      const queue = new Queue(saved.meta, this.queueArn(saved.meta.name));
      for (const message of saved.messages) queue.messages.set(message.id, message);
      for (const [key, entry] of saved.dedup) queue.dedup.set(key, entry);
      this.queues.set(queue.name, queue);
    }
    for (const task of snapshot?.tasks ?? []) this.tasks.set(task.id, task);
    for (const record of records) this.apply(record);
  }

  private apply(record: SqsRecord): void {
    switch (record.t) {
      case 'queue': {
        const existing = this.queues.get(record.meta.name);
        if (existing) existing.meta = record.meta;
        else this.queues.set(record.meta.name, new Queue(record.meta, this.queueArn(record.meta.name)));
        return;
      }
      case 'dropQueue':
        this.queues.delete(record.q);
        return;
      case 'task':
        this.tasks.set(record.task.id, record.task);
        return;
      default:
    }
    const queue = this.queues.get(record.q);
    if (queue === undefined) return;
    switch (record.t) {
      case 'put':
        queue.messages.set(record.m.id, record.m);
        queue.remember(record.m);
        if (record.m.seq !== undefined) {
          queue.meta.seqCounter = Math.max(
            queue.meta.seqCounter,
            Number(BigInt(record.m.seq) - SEQUENCE_BASE),
          );
        }
        return;
      case 'recv': {
        const message = queue.messages.get(record.id);
        if (message)
          Object.assign(message, { handle: record.h, visibleAt: record.v, count: record.c, first: record.f });
        return;
      }
      case 'vis': {
        const message = queue.messages.get(record.id);
        if (message) message.visibleAt = record.v;
        return;
      }
      case 'del':
        queue.messages.delete(record.id);
        return;
      case 'purge':
        queue.messages.clear();
        queue.meta.lastPurge = record.at;
        return;
      default:
    }
  }

  /** After replay: restart running move tasks. */
  private resumeAfterReplay(): void {
    for (const task of this.tasks.values())
      if (task.status === 'RUNNING') this.scheduleTask(task, this.clock.now());
  }

  /** Hands available messages to waiting long polls, in arrival order; re-arms the wake-up timer. */
  private serviceWaiters(queue: Queue): void {
    const list = this.waiters.get(queue.name);
    if (list === undefined || list.length === 0) return;
    while (list.length > 0) {
      const waiter = list[0];
      if (waiter === undefined) break;
      const taken = this.take(queue, waiter.max, waiter.visibilityTimeout);
      if (taken.length === 0) break;
      this.finishWaiter(waiter, taken);
    }
    this.scheduleWake(queue);
  }

  private finishWaiter(waiter: Waiter, messages: StoredMessage[]): void {
    const list = this.waiters.get(waiter.queue.name);
    const index = list?.indexOf(waiter) ?? -1;
    if (list === undefined || index === -1) return;
    list.splice(index, 1);
    if (list.length === 0) {
      this.waiters.delete(waiter.queue.name);
      this.clearWakeTimer(waiter.queue.name);
    }
    if (waiter.timer) this.clock.clearTimer(waiter.timer);
    waiter.respond(messages);
  }

  /** While long polls wait, wake them when the next delayed or in-flight message becomes visible. */
  private scheduleWake(queue: Queue): void {
    if ((this.waiters.get(queue.name)?.length ?? 0) === 0) {
      this.clearWakeTimer(queue.name);
      return;
    }
    const next = queue.nextVisibleAt(this.clock.now());
    const current = this.wakeTimers.get(queue.name);
    if (next === undefined || current?.at === next) return;
    this.clearWakeTimer(queue.name);
    const handle = this.clock.setTimer(next, () => {
      this.wakeTimers.delete(queue.name);
      if (this.queues.get(queue.name) === queue) this.serviceWaiters(queue);
    });
    this.wakeTimers.set(queue.name, { at: next, handle });
  }

  private clearWakeTimer(name: string): void {
    const timer = this.wakeTimers.get(name);
    if (timer) this.clock.clearTimer(timer.handle);
    this.wakeTimers.delete(name);
  }
}

/** The message attributes a receive asked for: names, `All` / `.*`, or prefixes written `prefix.*`. */
function selectMessageAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
  names: readonly string[],
): Record<string, MessageAttributeValue> | undefined {
  if (attributes === undefined || names.length === 0) return undefined;
  const all = names.includes('All') || names.includes('.*');
  const prefixes = names.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -1));
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (all || names.includes(name) || prefixes.some((prefix) => name.startsWith(prefix)))
      out[name] = { ...value };
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
