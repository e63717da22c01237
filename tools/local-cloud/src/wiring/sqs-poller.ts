import { type LambdaRuntime, LambdaServiceError } from '../lambda';
import { type EventSourceMappingSpec } from '../loader/types';
import { type ReceivedMessage, type SqsService } from '../sqs';

/** One record of the SQS event Lambda hands a function. */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<
    string,
    {
      stringValue?: string;
      binaryValue?: string;
      stringListValues: string[];
      binaryListValues: string[];
      dataType: string;
    }
  >;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** The SQS event of a batch of received messages, shaped as Lambda's SQS poller builds it. */
export const toSqsEvent = (
  messages: readonly ReceivedMessage[],
  eventSourceArn: string,
  region: string,
): { Records: SqsEventRecord[] } => ({
  Records: messages.map((message) => {
    const record: SqsEventRecord = {
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body,
      attributes: { ...message.Attributes },
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => {
          const binary = value.BinaryValue as unknown;
          return [
            name,
            {
              ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
              ...(binary === undefined
                ? {}
                : {
                    binaryValue:
                      typeof binary === 'string'
                        ? binary
                        : Buffer.from(binary as Uint8Array).toString('base64'),
                  }),
              stringListValues: [],
              binaryListValues: [],
              dataType: value.DataType,
            },
          ];
        }),
      ),
      md5OfBody: message.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: eventSourceArn,
      awsRegion: region,
    };
    if (message.MD5OfMessageAttributes !== undefined)
      record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
    return record;
  }),
});

/**
 * Which messages of a batch the function reported as failed (ReportBatchItemFailures). Undefined means the whole
 * batch failed: a malformed response or an identifier that is not one of the batch's message ids, as Lambda treats it.
 */
export const failedItemIds = (payload: string, batchIds: ReadonlySet<string>): Set<string> | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return new Set();
  const failures = (parsed as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !batchIds.has(id)) return undefined;
    ids.add(id);
  }
  return ids;
};

/** Options of {@link SqsEventSourcePoller}. */
export interface SqsPollerOptions {
  mapping: EventSourceMappingSpec;
  sqs: SqsService;
  lambda: LambdaRuntime;
  region: string;
  /** Concurrent pollers (default: the mapping's MaximumConcurrency, else 2). */
  concurrency?: number;
  /** Called with a line when a batch fails or the mapping cannot run (for the server log). */
  log?: (line: string) => void;
}

/**
 * An SQS → Lambda event source mapping: long-polls the queue, gathers up to BatchSize messages within
 * MaximumBatchingWindowInSeconds, invokes the function synchronously with the SQS event, then deletes the batch —
 * or, with ReportBatchItemFailures, only the messages not reported as failed. Failed messages stay on the queue and
 * come back after their visibility timeout (and go to the DLQ after maxReceiveCount, by the queue's redrive policy).
 */
export class SqsEventSourcePoller {
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly options: SqsPollerOptions) {}

  /** Starts polling (no-op for a disabled mapping). */
  start(): void {
    if (!this.options.mapping.enabled) return;
    const count = this.options.concurrency ?? this.options.mapping.maximumConcurrency ?? 2;
    for (let i = 0; i < count; i += 1) this.loops.push(this.loop());
  }

  /** Stops polling and waits for the batches in flight. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.loops);
  }

  private queueUrl(): string | undefined {
    return this.options.sqs.queueUrlFromArn(this.options.mapping.eventSourceArn);
  }

  private async loop(): Promise<void> {
    const { mapping, log } = this.options;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await this.pollOnce();
      } catch (error) {
        if (signal.aborted) return;
        log?.(
          `event source mapping ${mapping.uuid} (${mapping.eventSourceArn} → ${mapping.functionName}): ${error instanceof Error ? error.message : String(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000).unref());
      }
    }
  }

  /** Receives one batch and processes it. Returns the number of messages processed. */
  async pollOnce(): Promise<number> {
    const { mapping, sqs, lambda, region } = this.options;
    const signal = this.abort.signal;
    const queueUrl = this.queueUrl();
    if (queueUrl === undefined) throw new Error(`queue ${mapping.eventSourceArn} does not exist`);
    const batch: ReceivedMessage[] = [];
    const receive = async (waitSeconds: number): Promise<void> => {
      const output = await sqs.receiveMessage(
        {
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, mapping.batchSize - batch.length),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        },
        { signal },
      );
      batch.push(...(output.Messages ?? []));
    };
    await receive(20);
    if (batch.length === 0) return 0;
    const windowEnds = Date.now() + mapping.maximumBatchingWindowInSeconds * 1000;
    while (batch.length < mapping.batchSize && !signal.aborted) {
      const remainingMs = windowEnds - Date.now();
      const before = batch.length;
      await receive(remainingMs >= 1000 ? Math.min(20, Math.floor(remainingMs / 1000)) : 0);
      if (batch.length === before && remainingMs < 1000) break;
    }
    const event = toSqsEvent(batch, mapping.eventSourceArn, region);
    let result;
    try {
      result = await lambda.invoke(mapping.functionName, JSON.stringify(event));
    } catch (error) {
      if (error instanceof LambdaServiceError && error.code === 'TooManyRequestsException') {
        // Throttled: leave the batch; it comes back after the visibility timeout.
        return batch.length;
      }
      throw error;
    }
    if (result.functionError !== undefined) {
      this.options.log?.(
        `event source mapping ${mapping.uuid}: ${mapping.functionName} failed on a batch of ${batch.length}; the messages return after their visibility timeout`,
      );
      return batch.length;
    }
    let keep = new Set<string>();
    if (mapping.reportBatchItemFailures) {
      const failed = failedItemIds(result.payload, new Set(batch.map((message) => message.MessageId)));
      if (failed === undefined) return batch.length;
      keep = failed;
    }
    const toDelete = batch.filter((message) => !keep.has(message.MessageId));
    for (let i = 0; i < toDelete.length; i += 10) {
      sqs.deleteMessageBatch({
        QueueUrl: queueUrl,
        Entries: toDelete.slice(i, i + 10).map((message, index) => ({
          Id: String(i + index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      });
    }
    return batch.length;
  }
}
