import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type DefinitionValidationCache } from '@flow/asl-engine';

/** At most this many keys are kept (the most recently added): old definitions drop out. */
const MAX_KEYS = 200;

/** The local endpoint as the picture writes it into definitions (queue URLs): `http://127.0.0.1:<port>`. */
const LOCAL_ENDPOINT = /http:\/\/127\.0\.0\.1:\d+/g;

/**
 * The key of a definition: a hash of the validator id and of the text with the local endpoint's port blanked. The
 * port only appears inside string values (queue URLs), which the validator does not look into, so a restart on
 * another port (`--port 0`) does not validate the same definition again.
 */
export const definitionKey = (text: string, validator: string): string =>
  createHash('sha256')
    .update(validator)
    .update('\0')
    .update(text.replace(LOCAL_ENDPOINT, 'http://127.0.0.1:PORT'))
    .digest('hex');

/**
 * The engine's {@link DefinitionValidationCache} in a file of the data folder: the keys of state machine definitions
 * that passed validation, so a restart with unchanged definitions validates nothing (and loads no validator).
 * A missing or unreadable file is an empty cache; a write failure only costs a validation next time.
 */
export class FileDefinitionCache implements DefinitionValidationCache {
  private readonly keys: Set<string>;

  private constructor(
    private readonly file: string,
    keys: readonly string[],
  ) {
    this.keys = new Set(keys);
  }

  /** Reads the cache file (synchronously: it is a few hashes). */
  static open(file: string): FileDefinitionCache {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const keys = Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [];
      return new FileDefinitionCache(file, keys);
    } catch {
      return new FileDefinitionCache(file, []);
    }
  }

  has(text: string, validator: string): boolean {
    return this.keys.has(definitionKey(text, validator));
  }

  add(text: string, validator: string): void {
    const key = definitionKey(text, validator);
    if (this.keys.has(key)) return;
    this.keys.add(key);
    for (const old of this.keys) {
      if (this.keys.size <= MAX_KEYS) break;
      this.keys.delete(old);
    }
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.keys]));
      renameSync(`${this.file}.tmp`, this.file);
    } catch {
      // Only a cache: the definition is validated again next time.
    }
  }
}
