import { createHash } from 'node:crypto';

/** A message (or message system) attribute value in the SQS JSON-protocol shape. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64 in the JSON protocol; raw bytes are accepted too. */
  BinaryValue?: string | Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: (string | Uint8Array)[];
}

/** MD5 hex digest of the message body's UTF-8 bytes (what the SDK checks as `MD5OfMessageBody`). */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}

/** The bytes of a BinaryValue: base64 text (JSON protocol) or raw bytes. */
export function binaryBytes(value: string | Uint8Array): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value);
}

/**
 * `MD5OfMessageAttributes` (and `MD5OfMessageSystemAttributes`) as SQS computes it: for each attribute, in ascending
 * order of name, the 4-byte big-endian length and UTF-8 bytes of the name, then of the data type, then one transport
 * byte (1 = String/Number, 2 = Binary), then the length-prefixed value (UTF-8 string or raw binary); MD5 of the whole,
 * lowercase hex. Undefined when there are no attributes.
 */
export function md5OfMessageAttributes(
  attributes: Readonly<Record<string, MessageAttributeValue>> | undefined,
): string | undefined {
  if (attributes === undefined) return undefined;
  const names = Object.keys(attributes).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const attribute = attributes[name];
    if (attribute === undefined) continue;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')));
    if (attribute.DataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(binaryBytes(attribute.BinaryValue ?? '')));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8')));
    }
  }
  return hash.digest('hex');
}
