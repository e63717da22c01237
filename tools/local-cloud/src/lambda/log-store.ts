import { createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/** One captured log line of a Lambda function. */
export interface LambdaLogEntry {
  /** Epoch milliseconds. */
  time: number;
  functionName: string;
  requestId: string;
  /** `stdout` / `stderr` from the handler, `platform` for START/END/REPORT lines the runtime writes. */
  stream: 'stdout' | 'stderr' | 'platform';
  /** The line without its trailing newline (Powertools writes one JSON object per line). */
  message: string;
  /** The execution whose task invoked the function, when known. */
  executionArn?: string;
}

/** A filter over captured logs. */
export interface LogQuery {
  functionName?: string;
  requestId?: string;
  executionArn?: string;
  /** Only entries at or after this epoch millisecond. */
  since?: number;
  /** At most this many (the newest). */
  limit?: number;
}

/**
 * Log lines of every function: the newest `capacity` in a ring buffer (for the console and the CLI `logs`) and
 * all of them appended to a JSONL file under the data folder (read back on open, so logs outlive a restart).
 */
export class LambdaLogStore {
  private readonly ring: LambdaLogEntry[] = [];
  private start = 0;
  private readonly listeners = new Set<(entry: LambdaLogEntry) => void>();
  private readonly file: WriteStream | undefined;

  constructor(
    readonly filePath?: string,
    readonly capacity = 10_000,
  ) {
    if (filePath !== undefined) {
      mkdirSync(dirname(filePath), { recursive: true });
      if (existsSync(filePath)) this.loadTail(filePath);
      this.file = createWriteStream(filePath, { flags: 'a' });
    }
  }

  /** Records a line and tells the subscribers. */
  append(entry: LambdaLogEntry): void {
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
    }
    this.file?.write(`${JSON.stringify(entry)}\n`);
    for (const listener of this.listeners) listener(entry);
  }

  /** The retained entries matching the query, oldest first. */
  query(query: LogQuery = {}): LambdaLogEntry[] {
    const ordered = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    const matching = ordered.filter(
      (entry) =>
        (query.functionName === undefined || entry.functionName === query.functionName) &&
        (query.requestId === undefined || entry.requestId === query.requestId) &&
        (query.executionArn === undefined || entry.executionArn === query.executionArn) &&
        (query.since === undefined || entry.time >= query.since),
    );
    return query.limit === undefined ? matching : matching.slice(-query.limit);
  }

  /** Calls `listener` for every new entry until the returned function is called. */
  subscribe(listener: (entry: LambdaLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    const file = this.file;
    if (file === undefined) return;
    await new Promise<void>((done) => file.end(done));
  }

  private loadTail(filePath: string): void {
    const lines = readFileSync(filePath, 'utf8').split('\n');
    for (const line of lines.slice(-this.capacity - 1)) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as LambdaLogEntry;
        if (this.ring.length < this.capacity) this.ring.push(entry);
      } catch {
        // A torn last line after a kill -9: skip it.
      }
    }
  }
}
