import { type DefinitionValidationCache, loadDefinition, setDefinitionValidationCache } from './definition';
import { EngineError } from './errors';

/** A cache that records what it was asked and what it was told. */
class RecordingCache implements DefinitionValidationCache {
  readonly keys = new Set<string>();
  readonly lookups: string[] = [];
  readonly validators = new Set<string>();
  has(text: string, validator: string): boolean {
    this.lookups.push(text);
    this.validators.add(validator);
    return this.keys.has(text);
  }
  add(text: string, validator: string): void {
    this.keys.add(text);
    this.validators.add(validator);
  }
}

const VALID = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
/** Passes the engine's own checks; only asl-validator rejects it (StartAt names no state). */
const ONLY_SCHEMA_INVALID = JSON.stringify({ StartAt: 'Missing', States: { Done: { Type: 'Succeed' } } });

describe('definition validation cache', () => {
  afterEach(() => setDefinitionValidationCache(undefined));

  it('remembers a definition that passed and answers from the cache the next time', () => {
    // Arrange
    const cache = new RecordingCache();
    setDefinitionValidationCache(cache);

    // Act
    const first = loadDefinition(VALID);
    const second = loadDefinition(VALID);

    // Assert
    expect(first).toStrictEqual({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
    expect(second).toStrictEqual(first);
    expect([...cache.keys]).toStrictEqual([VALID]);
    expect(cache.lookups).toStrictEqual([VALID, VALID]);
    expect(cache.validators.size).toBe(1);
    expect([...cache.validators][0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks by the exact text: a different definition is validated and remembered on its own', () => {
    // Arrange
    const cache = new RecordingCache();
    setDefinitionValidationCache(cache);
    const other = JSON.stringify({ StartAt: 'Finish', States: { Finish: { Type: 'Succeed' } } });

    // Act
    loadDefinition(VALID);
    loadDefinition(other);

    // Assert
    expect([...cache.keys]).toStrictEqual([VALID, other]);
  });

  it('fails when a definition is invalid, and does not remember it', () => {
    // Arrange
    const cache = new RecordingCache();
    setDefinitionValidationCache(cache);

    // Act
    const load = (): unknown => loadDefinition(ONLY_SCHEMA_INVALID);

    // Assert
    expect(load).toThrow(EngineError);
    expect(load).toThrow(/Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET/);
    expect(cache.keys.size).toBe(0);
  });

  it('fails on the engine’s own checks even when the cache claims the definition is valid', () => {
    // Arrange: a cache that says yes to everything
    setDefinitionValidationCache({ has: () => true, add: () => undefined });
    const unknownField = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed', Bogus: 1 } } });

    // Act
    const load = (): unknown => loadDefinition(unknownField);

    // Assert
    expect(load).toThrow(/The field "Bogus" is not supported by Step Functions for a Succeed state/);
  });
});
