declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** Options of dynalite 4 (the package ships no types). */
  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
