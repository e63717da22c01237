import { crc32 } from './crc32';

/**
 * On-disk record format: one line per record,
 *
 *     <crc32 as 8 hex digits> <payload JSON>\n
 *
 * where the payload is `{"s":<sequence number>,"r":<record>}` and the CRC covers the payload's UTF-8 bytes.
 * A line whose CRC or JSON does not check out, or that has no trailing newline and does not check out,
 * marks the end of the valid log (a torn write after kill -9, or a corrupt tail).
 */
export interface DecodedRecord {
  readonly seq: number;
  readonly record: unknown;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const HEX_LENGTH = 8;
const CLOSE_BRACE = 0x7d;

/** Encodes one record with its sequence number as a checksummed line. Throws if the record is not JSON. */
export function encodeRecord(seq: number, record: unknown): Buffer {
  const json = recordJson(seq, record);
  const line = Buffer.allocUnsafe(lineLength(seq, json));
  writeLine(seq, json, line, 0);
  return line;
}

/** The JSON text of a record (what a line carries after its sequence number). Throws if it is not JSON. */
export function recordJson(seq: number, record: unknown): string {
  const json = JSON.stringify(record);
  if (json === undefined) {
    throw new TypeError(`durable-log: record ${seq} is not JSON-serialisable (got ${typeof record})`);
  }
  return json;
}

const PAYLOAD_START = HEX_LENGTH + 1;

/** Bytes of the line of record `seq` whose JSON text is `json` (see {@link writeLine}). */
export function lineLength(seq: number, json: string): number {
  // `<crc> {"s":<seq>,"r":<json>}\n`
  return PAYLOAD_START + 11 + String(seq).length + Buffer.byteLength(json, 'utf8') + 1;
}

/**
 * At least {@link lineLength}, without reading the text: a UTF-16 code unit is at most 3 bytes of UTF-8. (The
 * JSON text of a large record is a rope of pieces, and `Buffer.byteLength` walks a rope slowly; writing it into a
 * buffer with room enough, which flattens it once, tells its length.)
 */
export function maxLineLength(seq: number, json: string): number {
  return PAYLOAD_START + 11 + String(seq).length + 3 * json.length + 1;
}

/**
 * Writes the line of record `seq` (JSON text `json`) into `target` at `offset`, which must have room for
 * {@link lineLength} bytes (e.g. {@link maxLineLength}); returns the offset after the line. The payload is written piece by piece, so the
 * record's text is not copied into one more string first.
 */
export function writeLine(seq: number, json: string, target: Buffer, offset: number): number {
  const start = offset + PAYLOAD_START;
  let end = start + target.write(`{"s":${seq},"r":`, start, 'latin1');
  end += target.write(json, end, 'utf8');
  target[end++] = CLOSE_BRACE;
  target.write(crc32(target, start, end).toString(16).padStart(HEX_LENGTH, '0'), offset, 'latin1');
  target[offset + HEX_LENGTH] = SPACE;
  target[end] = NEWLINE;
  return end + 1;
}

/** The result of scanning a log file's bytes. */
export interface ScanResult {
  readonly records: DecodedRecord[];
  /** Byte length of the valid prefix: everything after it is a torn or corrupt tail. */
  readonly validLength: number;
  /** True if the last valid record lacked its trailing newline (torn just before the newline). */
  readonly missingFinalNewline: boolean;
}

/** Decodes one line (without its newline); undefined if it does not check out. */
export function decodeLine(bytes: Buffer, start: number, end: number): DecodedRecord | undefined {
  if (end - start < HEX_LENGTH + 2 || bytes[start + HEX_LENGTH] !== SPACE) return undefined;
  const expected = Number.parseInt(bytes.toString('latin1', start, start + HEX_LENGTH), 16);
  if (!Number.isFinite(expected) || crc32(bytes, start + HEX_LENGTH + 1, end) !== expected) return undefined;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8', start + HEX_LENGTH + 1, end));
    if (typeof parsed !== 'object' || parsed === null || !('s' in parsed) || !('r' in parsed))
      return undefined;
    const seq = parsed.s;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return undefined;
    return { seq, record: parsed.r };
  } catch {
    return undefined;
  }
}

/** Scans a whole log file, stopping at the first line that does not check out. */
export function scanLog(bytes: Buffer): ScanResult {
  const records: DecodedRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, offset);
    const end = newline === -1 ? bytes.length : newline;
    const decoded = decodeLine(bytes, offset, end);
    if (decoded === undefined) break;
    records.push(decoded);
    if (newline === -1) return { records, validLength: bytes.length, missingFinalNewline: true };
    offset = newline + 1;
  }
  return { records, validLength: offset, missingFinalNewline: false };
}
