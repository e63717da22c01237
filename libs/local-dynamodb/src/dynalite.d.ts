declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** Options of dynalite 4 (the package ships no types). */
  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    ssl?: boolean;
    verbose?: boolean;
    debug?: boolean;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}

declare module 'dynalite/db' {
  /** The parts of dynalite's store (`db.create`) that the table-description cache wraps. */
  interface DynaliteStore {
    tableDb: {
      put(key: string, value: unknown, callback: (error?: Error | null) => void): void;
      del(key: string, callback: (error?: Error | null) => void): void;
      batch(operations: unknown[], callback: (error?: Error | null) => void): void;
    };
    getTable(
      name: string,
      checkStatus: boolean | ((error: Error | null, table?: unknown) => void),
      callback?: (error: Error | null, table?: unknown) => void,
    ): void;
  }
  function create(options: unknown): DynaliteStore;
}
