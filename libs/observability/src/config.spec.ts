import { readOptionalEnv, readRequiredEnv } from './config';

const KEY = 'OBSERVABILITY_SPEC_VARIABLE';

afterEach(() => {
  delete process.env[KEY];
});

describe('readRequiredEnv', () => {
  it('returns the trimmed value', () => {
    // Arrange
    process.env[KEY] = '  inventory-table  ';

    // Act
    const value = readRequiredEnv(KEY, 'the inventory table');

    // Assert
    expect(value).toBe('inventory-table');
  });

  it('fails when the variable is missing, naming it and its purpose', () => {
    // Act & Assert
    expect(() => readRequiredEnv(KEY, 'the inventory table')).toThrow(
      `Environment variable ${KEY} (the inventory table) is required but not set`,
    );
  });

  it('fails when the variable is blank', () => {
    // Arrange
    process.env[KEY] = '   ';

    // Act & Assert
    expect(() => readRequiredEnv(KEY, 'the inventory table')).toThrow(/is required but not set/);
  });
});

describe('readOptionalEnv', () => {
  it('falls back to the default', () => {
    // Act
    const value = readOptionalEnv(KEY, 'fallback');

    // Assert
    expect(value).toBe('fallback');
  });
});
