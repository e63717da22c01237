import { AwsError, serializationError } from './aws-error';
import { isJsonObject, type JsonObject } from './params';

/**
 * Converts a domain result to its AWS JSON-protocol form: `Date` values become epoch seconds (with milliseconds as
 * the fraction, as AWS sends them), `undefined` members are dropped.
 */
export const toWire = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = toWire(member);
    return out;
  }
  return value;
};

/** Parses a JSON-protocol request body: empty means `{}`; anything but a JSON object is a SerializationException. */
export const parseJsonBody = (body: Buffer): JsonObject => {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AwsError(
      'SerializationException',
      `Could not parse the request body as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isJsonObject(parsed)) throw serializationError(Array.isArray(parsed) ? 'START_ARRAY' : typeof parsed);
  return parsed;
};
