/** CRC-32 (IEEE 802.3, the polynomial zlib and gzip use), computed over the UTF-8 bytes of a string. */
import zlib from 'node:zlib';

type NativeCrc32 = (data: Uint8Array) => number;
/** zlib's native CRC-32 (Node >= 20.15 / 22.2); the table-driven version below is the fallback. */
const native: NativeCrc32 | undefined = (zlib as unknown as { crc32?: NativeCrc32 }).crc32;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of a byte range. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (native !== undefined)
    return native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
  return crc32Portable(bytes, start, end);
}

/** Table-driven CRC-32 in plain JavaScript (same results as zlib's). */
export function crc32Portable(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) {
    crc = (TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of a string's UTF-8 encoding, as 8 lowercase hex digits. */
export function crc32Hex(text: string): string {
  return crc32(Buffer.from(text, 'utf8')).toString(16).padStart(8, '0');
}
