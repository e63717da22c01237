import { sqsErrors } from './errors';
import { type QueueAttributes } from './types';

/** Settable queue attributes with their defaults (absent = no default value is reported). */
const SETTABLE_DEFAULTS: Readonly<Record<string, string | undefined>> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  Policy: undefined,
  RedrivePolicy: undefined,
  RedriveAllowPolicy: undefined,
  KmsMasterKeyId: undefined,
  KmsDataKeyReusePeriodSeconds: undefined,
  SqsManagedSseEnabled: 'true',
  FifoQueue: undefined,
  ContentBasedDeduplication: undefined,
  DeduplicationScope: undefined,
  FifoThroughputLimit: undefined,
};

/** Attributes computed by the service (GetQueueAttributes only). */
export const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

const FIFO_ONLY = new Set([
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const BOOLEANS = new Set(['FifoQueue', 'ContentBasedDeduplication', 'SqsManagedSseEnabled']);

/** True if `name` is a queue attribute GetQueueAttributes knows. */
export function isKnownAttribute(name: string): boolean {
  return name in SETTABLE_DEFAULTS || (READ_ONLY_ATTRIBUTES as readonly string[]).includes(name);
}

/** The parsed redrive policy of a queue. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The parsed redrive-allow policy of a (dead-letter) queue. */
export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns: string[];
}

/** Parses and checks a RedrivePolicy attribute value (undefined for an empty value, which removes the policy). */
export function parseRedrivePolicy(value: string): RedrivePolicy | undefined {
  if (value === '') return undefined;
  const invalid = (reason: string) => sqsErrors.invalidParameter('RedrivePolicy', value, reason);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid('Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('Redrive policy is not a valid JSON map.');
  }
  const record = parsed as Record<string, unknown>;
  const arn = record['deadLetterTargetArn'];
  const count = record['maxReceiveCount'];
  if (typeof arn !== 'string' || arn === '')
    throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  if (count === undefined)
    throw invalid('Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  const maxReceiveCount = typeof count === 'number' ? count : Number(count);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
    throw invalid(
      `Invalid value for maxReceiveCount: ${String(count)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount };
}

/** Parses and checks a RedriveAllowPolicy attribute value. */
export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy | undefined {
  if (value === '') return undefined;
  const invalid = (reason: string) => sqsErrors.invalidParameter('RedriveAllowPolicy', value, reason);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid('Redrive allow policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('Redrive allow policy is not a valid JSON map.');
  }
  const record = parsed as Record<string, unknown>;
  const permission = record['redrivePermission'];
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw invalid('Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.');
  }
  const arns = record['sourceQueueArns'];
  if (permission === 'byQueue') {
    if (
      !Array.isArray(arns) ||
      arns.length === 0 ||
      arns.length > 10 ||
      arns.some((arn) => typeof arn !== 'string')
    ) {
      throw invalid(
        'sourceQueueArns must be a list of 1 to 10 queue ARNs when redrivePermission is byQueue.',
      );
    }
    return { redrivePermission: permission, sourceQueueArns: arns as string[] };
  }
  if (arns !== undefined) throw invalid('sourceQueueArns is only allowed when redrivePermission is byQueue.');
  return { redrivePermission: permission, sourceQueueArns: [] };
}

/**
 * Checks settable attributes (for CreateQueue or SetQueueAttributes) and returns them normalised to strings.
 * `fifo` says whether the queue is (or will be) a FIFO queue.
 */
export function validateAttributes(input: unknown, fifo: boolean, creating: boolean): QueueAttributes {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw sqsErrors.invalidParameterValue('Attributes must be a map of attribute names to string values.');
  }
  const out: QueueAttributes = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    if (!(name in SETTABLE_DEFAULTS)) throw sqsErrors.invalidAttributeName(name);
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      throw sqsErrors.invalidAttributeValue(name);
    }
    const value = String(raw);
    if (FIFO_ONLY.has(name) && !fifo) {
      if (name === 'FifoQueue' && value === 'false' && creating) continue;
      throw sqsErrors.invalidAttributeName(name);
    }
    if (name === 'FifoQueue' && !creating)
      throw sqsErrors.invalidAttributeValue(name, 'FifoQueue cannot be changed.');
    const range = INTEGER_RANGES[name];
    if (range !== undefined) {
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || n < range[0] || n > range[1]) throw sqsErrors.invalidAttributeValue(name);
    }
    if (BOOLEANS.has(name) && value !== 'true' && value !== 'false')
      throw sqsErrors.invalidAttributeValue(name);
    if (name === 'DeduplicationScope' && value !== 'messageGroup' && value !== 'queue') {
      throw sqsErrors.invalidAttributeValue(name);
    }
    if (name === 'FifoThroughputLimit' && value !== 'perQueue' && value !== 'perMessageGroupId') {
      throw sqsErrors.invalidAttributeValue(name);
    }
    if (name === 'RedrivePolicy') parseRedrivePolicy(value);
    if (name === 'RedriveAllowPolicy') parseRedriveAllowPolicy(value);
    out[name] = value;
  }
  return out;
}

/** The settable attributes of a queue with defaults filled in (what GetQueueAttributes reports). */
export function withDefaults(attributes: QueueAttributes, fifo: boolean): QueueAttributes {
  const out: QueueAttributes = {};
  for (const [name, fallback] of Object.entries(SETTABLE_DEFAULTS)) {
    const value = attributes[name] ?? fallback;
    if (value !== undefined && value !== '') out[name] = value;
  }
  if (fifo) {
    out['FifoQueue'] = 'true';
    out['ContentBasedDeduplication'] = attributes['ContentBasedDeduplication'] ?? 'false';
    out['DeduplicationScope'] = attributes['DeduplicationScope'] ?? 'queue';
    out['FifoThroughputLimit'] = attributes['FifoThroughputLimit'] ?? 'perQueue';
  }
  return out;
}
