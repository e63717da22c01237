import { crc32Hex } from './crc32';

describe('crc32Hex', () => {
  it('matches the standard CRC-32 check values', () => {
    // Arrange / Act / Assert (check value of the CRC-32/ISO-HDLC catalogue entry, and the empty string)
    expect(crc32Hex('123456789')).toBe('cbf43926');
    expect(crc32Hex('')).toBe('00000000');
    expect(crc32Hex('The quick brown fox jumps over the lazy dog')).toBe('414fa339');
  });
});
