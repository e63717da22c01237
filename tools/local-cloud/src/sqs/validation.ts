import { sqsErrors } from './errors';
import { binaryBytes, type MessageAttributeValue } from './md5';

/** Characters SQS accepts in a message body or string attribute: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000+. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[^\s].{0,250})?$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_ATTRIBUTES = 10;

/** Checks an integer request member against its range; undefined passes. */
export function integerParameter(
  name: string,
  value: unknown,
  min: number,
  max: number,
  reason?: string,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw sqsErrors.invalidParameter(
      name,
      value,
      reason ?? `Must be between ${min} and ${max}, if provided.`,
    );
  }
  return n;
}

/** Checks a message body; returns its UTF-8 size. */
export function validateBody(body: unknown): number {
  if (body === undefined || body === null || body === '') throw sqsErrors.missingParameter('MessageBody');
  if (typeof body !== 'string') throw sqsErrors.invalidParameterValue('MessageBody must be a string.');
  if (INVALID_CHARACTER.test(body)) {
    throw sqsErrors.invalidMessageContents(
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  return Buffer.byteLength(body, 'utf8');
}

/**
 * Checks message (or message system) attributes; returns their size as SQS counts it against the message size limit
 * (name + data type + value bytes).
 */
export function validateMessageAttributes(attributes: unknown, system = false): number {
  if (attributes === undefined || attributes === null) return 0;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw sqsErrors.invalidParameterValue('MessageAttributes must be a map.');
  }
  const entries = Object.entries(attributes as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  let size = 0;
  for (const [name, raw] of entries) {
    if (system) {
      if (name !== 'AWSTraceHeader')
        throw sqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    } else if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.)/i.test(name)) {
      throw sqsErrors.invalidParameterValue(`Message attribute name '${name}' is invalid.`);
    }
    if (typeof raw !== 'object' || raw === null) {
      throw sqsErrors.invalidParameterValue(
        `The message attribute '${name}' must contain a non-empty message attribute value.`,
      );
    }
    const value = raw as Partial<MessageAttributeValue>;
    const dataType = value.DataType;
    if (typeof dataType !== 'string' || dataType === '') {
      throw sqsErrors.invalidParameterValue(
        `The message attribute '${name}' must contain a non-empty message attribute type.`,
      );
    }
    if (!DATA_TYPE.test(dataType)) {
      throw sqsErrors.invalidParameterValue(
        `The type of message attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (value.StringListValues !== undefined || value.BinaryListValues !== undefined) {
      throw sqsErrors.invalidParameterValue(
        `Message attribute list values in SendMessage operation are not supported.`,
      );
    }
    if (dataType.startsWith('Binary')) {
      if (value.BinaryValue === undefined || value.BinaryValue === '' || value.StringValue !== undefined) {
        throw sqsErrors.invalidParameterValue(
          `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
        );
      }
      size += binaryBytes(value.BinaryValue).length;
    } else {
      if (
        typeof value.StringValue !== 'string' ||
        value.StringValue === '' ||
        value.BinaryValue !== undefined
      ) {
        throw sqsErrors.invalidParameterValue(
          `The message attribute '${name}' with type '${dataType.startsWith('Number') ? 'Number' : 'String'}' must use field 'String'.`,
        );
      }
      if (dataType.startsWith('Number') && !Number.isFinite(Number(value.StringValue))) {
        throw sqsErrors.invalidParameterValue(
          `Can't cast the value of message (user) attribute '${name}' to a number.`,
        );
      }
      if (INVALID_CHARACTER.test(value.StringValue)) {
        throw sqsErrors.invalidMessageContents(
          `Invalid characters found in the value of message attribute '${name}'.`,
        );
      }
      size += Buffer.byteLength(value.StringValue, 'utf8');
    }
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(dataType, 'utf8');
  }
  return size;
}

/** Checks the entry list of a batch call (non-empty, at most 10, distinct well-formed ids). */
export function validateBatchEntries<T extends { Id?: string }>(entries: unknown, entryName: string): T[] {
  if (entries === undefined || entries === null || (Array.isArray(entries) && entries.length === 0)) {
    throw sqsErrors.emptyBatchRequest(entryName);
  }
  if (!Array.isArray(entries)) throw sqsErrors.invalidParameterValue('Entries must be a list.');
  if (entries.length > 10) throw sqsErrors.tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const entry of entries as T[]) {
    const id = typeof entry === 'object' && entry !== null ? entry.Id : undefined;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) throw sqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw sqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries as T[];
}

/** Copies a validated attribute map into the stored shape (BinaryValue kept as base64 text). */
export function normaliseAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (attributes === undefined || Object.keys(attributes).length === 0) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] =
      value.BinaryValue !== undefined
        ? { DataType: value.DataType, BinaryValue: binaryBytes(value.BinaryValue).toString('base64') }
        : { DataType: value.DataType, StringValue: value.StringValue ?? '' };
  }
  return out;
}
