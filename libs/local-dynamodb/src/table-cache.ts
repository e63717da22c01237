// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dynalite ships no types; this makes the declaration visible to every project that compiles this file
/// <reference path="./dynalite.d.ts" />
import { createRequire } from 'node:module';
import { type DynaliteStore } from 'dynalite/db';

type TableCallback = (error: Error | null, table?: unknown) => void;

/**
 * Keeps dynalite's table descriptions in memory. dynalite reads a table's description from LevelDB (and parses its
 * JSON) at the start of every item operation, which is a third of its reads on the workflow's calls; descriptions
 * only change through CreateTable/UpdateTable/DeleteTable (and their status timers), which all write them with
 * `tableDb.put`/`del`, so a write drops the entry. Item operations (`getTable(name, true)`: the table must be
 * usable) get the cached description; describe/update/delete (`checkStatus` false) always read the stored one, so
 * the actions that modify a description work on their own copy.
 */
export const withTableCache = (store: DynaliteStore): DynaliteStore => {
  const cache = new Map<string, unknown>();
  /** Bumped by every write: a read that started before a write must not fill the cache with what it read. */
  let version = 0;
  const { tableDb } = store;
  const put = tableDb.put.bind(tableDb);
  const del = tableDb.del.bind(tableDb);
  const batch = tableDb.batch.bind(tableDb);
  const dropping =
    (key: string | undefined, callback: (error?: Error | null) => void) =>
    (error?: Error | null): void => {
      version += 1;
      if (key === undefined) cache.clear();
      else cache.delete(key);
      callback(error);
    };
  tableDb.put = (key, value, callback) => {
    version += 1;
    cache.delete(key);
    put(key, value, dropping(key, callback));
  };
  tableDb.del = (key, callback) => {
    version += 1;
    cache.delete(key);
    del(key, dropping(key, callback));
  };
  tableDb.batch = (operations, callback) => {
    version += 1;
    cache.clear();
    batch(operations, dropping(undefined, callback));
  };
  const getTable = store.getTable.bind(store);
  store.getTable = (name, checkStatus, callback) => {
    const done: TableCallback | undefined = typeof checkStatus === 'function' ? checkStatus : callback;
    if (done === undefined) return;
    // dynalite's own convention: a function in second place is the callback, and the status is checked.
    const usable = typeof checkStatus === 'function' || checkStatus;
    if (!usable) {
      getTable(name, false, done);
      return;
    }
    if (cache.has(name)) {
      const table = cache.get(name);
      process.nextTick(done, null, table);
      return;
    }
    const seen = version;
    getTable(name, true, (error, table) => {
      if (error === null && table !== undefined && seen === version) cache.set(name, table);
      done(error, table);
    });
  };
  return store;
};

let installed = false;

/**
 * Makes every dynalite store created from now on cache its table descriptions ({@link withTableCache}). dynalite
 * creates its store through its `db` module's `create`, looked up at call time, so wrapping that export is enough.
 * Idempotent. When dynalite's internals are not what this expects, nothing is changed.
 */
export const installTableCache = (): void => {
  if (installed) return;
  installed = true;
  const db = createRequire(__filename)('dynalite/db') as { create?: unknown };
  const create = db.create;
  if (typeof create !== 'function') return;
  db.create = (options: unknown): DynaliteStore => {
    const store = (create as (options: unknown) => DynaliteStore)(options);
    const tableDb = store.tableDb as Partial<DynaliteStore['tableDb']> | undefined;
    if (
      typeof store.getTable !== 'function' ||
      typeof tableDb?.put !== 'function' ||
      typeof tableDb.del !== 'function' ||
      typeof tableDb.batch !== 'function'
    ) {
      return store;
    }
    return withTableCache(store);
  };
};
