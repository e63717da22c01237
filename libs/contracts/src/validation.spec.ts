import { describeFieldErrors } from './validation';

describe('describeFieldErrors', () => {
  it('lists every field error on one line', () => {
    // Act
    const text = describeFieldErrors([
      { path: 'lines.0.quantity', message: 'must be at least 1' },
      { path: '', message: 'expected object' },
    ]);

    // Assert
    expect(text).toBe('2 validation errors: lines.0.quantity: must be at least 1; (root): expected object');
  });

  it('cuts a long description to the maximum length', () => {
    // Act
    const text = describeFieldErrors([{ path: 'a', message: 'x'.repeat(100) }], 40);

    // Assert
    expect(text).toHaveLength(40);
    expect(text.endsWith('…')).toBe(true);
  });
});
