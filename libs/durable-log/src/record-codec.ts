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

/** Encodes one record with its sequence number as a checksummed line. Throws if the record is not JSON. */
export function encodeRecord(seq: number, record: unknown): Buffer {
  const json = JSON.stringify(record);
  if (json === undefined) {
    throw new TypeError(`durable-log: record ${seq} is not JSON-serialisable (got ${typeof record})`);
  }
  // One buffer, written in place: `<crc> ` + payload + `\n` (no intermediate payload buffer to copy).
  const text = `{"s":${seq},"r":${json}}`;
  const start = HEX_LENGTH + 1;
  const line = Buffer.allocUnsafe(start + Buffer.byteLength(text, 'utf8') + 1);
  const end = start + line.write(text, start, 'utf8');
  line.write(crc32(line, start, end).toString(16).padStart(HEX_LENGTH, '0'), 0, 'latin1');
  line[HEX_LENGTH] = SPACE;
  line[end] = NEWLINE;
  return line;
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
