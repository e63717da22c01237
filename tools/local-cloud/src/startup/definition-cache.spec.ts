import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definitionKey, FileDefinitionCache } from './definition-cache';

const definition = (port: number): string =>
  JSON.stringify({
    StartAt: 'Send',
    States: {
      Send: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: { QueueUrl: `http://127.0.0.1:${port}/000000000000/approvals`, MessageBody: 'x' },
        End: true,
      },
    },
  });

describe('FileDefinitionCache', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'definition-cache-'));
    file = join(dir, 'cache', 'valid-definitions.json');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers a validated definition across instances (a restart reads the file)', () => {
    // Arrange
    const first = FileDefinitionCache.open(file);

    // Act
    first.add(definition(4566), 'validator-1');
    const second = FileDefinitionCache.open(file);

    // Assert
    expect(second.has(definition(4566), 'validator-1')).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toStrictEqual([
      definitionKey(definition(4566), 'validator-1'),
    ]);
  });

  it('treats the same definition on another local port as known (`--port 0` restarts)', () => {
    // Arrange
    const cache = FileDefinitionCache.open(file);

    // Act
    cache.add(definition(4566), 'validator-1');

    // Assert
    expect(cache.has(definition(39_211), 'validator-1')).toBe(true);
    expect(definitionKey(definition(4566), 'v')).toBe(definitionKey(definition(39_211), 'v'));
  });

  it('fails to match a changed definition or another validator', () => {
    // Arrange
    const cache = FileDefinitionCache.open(file);
    cache.add(definition(4566), 'validator-1');
    const changed = definition(4566).replace('approvals', 'other-queue');

    // Act
    const known = [cache.has(changed, 'validator-1'), cache.has(definition(4566), 'validator-2')];

    // Assert
    expect(known).toStrictEqual([false, false]);
  });

  it('starts empty when the file is missing or not a list of keys', () => {
    // Arrange
    const missing = FileDefinitionCache.open(join(dir, 'nothing-here.json'));
    writeFileSync(join(dir, 'broken.json'), '{"not":"a list"');
    const broken = FileDefinitionCache.open(join(dir, 'broken.json'));

    // Act
    const known = [missing.has(definition(1), 'v'), broken.has(definition(1), 'v')];

    // Assert
    expect(known).toStrictEqual([false, false]);
  });

  it('keeps only the most recent keys', () => {
    // Arrange
    const cache = FileDefinitionCache.open(file);

    // Act
    for (let i = 0; i < 205; i += 1) cache.add(`{"n":${i}}`, 'v');

    // Assert
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(200);
    expect(cache.has('{"n":0}', 'v')).toBe(false);
    expect(cache.has('{"n":204}', 'v')).toBe(true);
  });
});
