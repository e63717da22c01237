import { crc32, crc32Hex, crc32Portable } from './crc32';

describe('crc32Hex', () => {
  it('matches the standard CRC-32 check values', () => {
    // Arrange / Act / Assert (check value of the CRC-32/ISO-HDLC catalogue entry, and the empty string)
    expect(crc32Hex('123456789')).toBe('cbf43926');
    expect(crc32Hex('')).toBe('00000000');
    expect(crc32Hex('The quick brown fox jumps over the lazy dog')).toBe('414fa339');
  });
});

describe('crc32Portable', () => {
  it('agrees with the native CRC-32 on random data and sub-ranges', () => {
    // Arrange
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    // Act / Assert
    expect(crc32Portable(bytes)).toBe(crc32(bytes));
    expect(crc32Portable(bytes, 100, 3000)).toBe(crc32(bytes, 100, 3000));
    expect(crc32Portable(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
