import { ipInRange, parseCidr, parseIp } from './ip-range';

describe('parseIp', () => {
  it.each<[string, { version: 4 | 6; value: bigint } | undefined]>([
    ['10.0.0.17', { version: 4, value: 0x0a000011n }],
    ['255.255.255.255', { version: 4, value: 0xffffffffn }],
    ['::1', { version: 6, value: 1n }],
    ['2001:db8::ff00:42:8329', { version: 6, value: 0x20010db8000000000000ff0000428329n }],
    ['::ffff:10.0.0.1', { version: 6, value: 0xffff0a000001n }],
    ['256.0.0.1', undefined],
    ['10.0.0', undefined],
    ['01.0.0.1', undefined],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['not-an-ip', undefined],
  ])('parses %s', (text, expected) => {
    // Arrange / Act / Assert
    expect(parseIp(text)).toStrictEqual(expected);
  });
});

describe('ipInRange', () => {
  it('includes the first and last address of a range and excludes the neighbours', () => {
    // Arrange
    const range = parseCidr('192.168.1.0/24');
    // Act / Assert
    expect([ipInRange('192.168.1.0', range), ipInRange('192.168.1.255', range)]).toStrictEqual([true, true]);
    expect([ipInRange('192.168.0.255', range), ipInRange('192.168.2.0', range)]).toStrictEqual([
      false,
      false,
    ]);
  });

  it('handles /0, /32 and /128', () => {
    // Arrange / Act / Assert
    expect(ipInRange('8.8.8.8', parseCidr('0.0.0.0/0'))).toBe(true);
    expect(ipInRange('8.8.8.8', parseCidr('8.8.8.8/32'))).toBe(true);
    expect(ipInRange('8.8.8.9', parseCidr('8.8.8.8/32'))).toBe(false);
    expect(ipInRange('::1', parseCidr('::1/128'))).toBe(true);
  });

  it('fails when the CIDR is malformed', () => {
    // Arrange / Act / Assert
    expect(() => parseCidr('10.0.0.0')).toThrow("Malformed CIDR, one '/' required");
    expect(() => parseCidr('10.0.0.0/x')).toThrow('Invalid CIDR: 10.0.0.0/x');
    expect(() => parseCidr('nope/8')).toThrow('Invalid CIDR: nope/8');
  });
});
