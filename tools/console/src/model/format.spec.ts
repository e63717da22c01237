import { arnName, formatDuration, formatUsd, prettyJson } from './format';

describe('format helpers', () => {
  it('formats durations at each scale', () => {
    // Arrange
    const t0 = Date.UTC(2026, 0, 1);

    // Act / Assert
    expect(formatDuration(t0, t0 + 850)).toBe('850 ms');
    expect(formatDuration(t0, t0 + 12_345)).toBe('12.3 s');
    expect(formatDuration(t0, t0 + 242_000)).toBe('4 min 2 s');
    expect(formatDuration(t0, t0 + 3 * 3_600_000 + 300_000)).toBe('3 h 5 min');
    expect(formatDuration(new Date(t0).toISOString(), undefined, t0 + 1500)).toBe('1.5 s');
  });

  it('formats sub-cent costs without trailing zeros', () => {
    // Arrange / Act / Assert
    expect(formatUsd(0.000075)).toBe('$0.000075');
    expect(formatUsd(0.025)).toBe('$0.025');
    expect(formatUsd(0)).toBe('$0.00');
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    // Arrange / Act / Assert
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('not json')).toBe('not json');
    expect(arnName('arn:aws:states:us-east-1:0:execution:M:run-1')).toBe('run-1');
  });
});
