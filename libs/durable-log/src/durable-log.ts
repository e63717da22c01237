import fs from 'node:fs';
import * as path from 'node:path';
import { acquireLock, DurableLogLockedError, releaseLock } from './lock';
import { decodeLine, encodeRecord, maxLineLength, recordJson, scanLog, writeLine } from './record-codec';

/** Options for {@link DurableLog.open}. */
export interface DurableLogOptions {
  /**
   * `false` (default): an append is acknowledged once its batch is written to the file (the OS page cache
   * survives the death of this process, kill -9 included, but not a power loss).
   * `true`: an append is acknowledged only after `fdatasync` of its batch (survives power loss; slower).
   */
  readonly fsync?: boolean;
  /**
   * `true` (default): take a lock file (`<log>.lock`) so that a second process opening the same log fails with
   * {@link DurableLogLockedError} instead of interleaving writes. A lock left by a dead process is taken over.
   */
  readonly lock?: boolean;
}

/** What {@link DurableLog.open} found on disk. */
export interface RecoveredState<T, S> {
  /** The last snapshot written by {@link DurableLog.compact}, if any. */
  readonly snapshot: S | undefined;
  /** The records appended after that snapshot, oldest first. */
  readonly records: readonly T[];
  /** Bytes cut off the end of the log because they were a torn or corrupt tail (0 when the log was clean). */
  readonly truncatedBytes: number;
}

/** Thrown when a snapshot file (written atomically, so never torn) does not check out. */
export class DurableLogCorruptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DurableLogCorruptionError';
  }
}

interface PendingBatch {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

interface LogPaths {
  readonly log: string;
  readonly snapshot: string;
  readonly dir: string;
}

const SNAPSHOT_SUFFIX = '.snapshot';
/** Size of the buffer the lines of a batch are encoded into (it grows for a larger batch, and shrinks back). */
const WRITE_BUFFER_BYTES = 64 * 1024;

function resolvePaths(target: string): LogPaths {
  let isDir: boolean;
  try {
    isDir = fs.statSync(target).isDirectory();
  } catch {
    isDir = path.extname(target) === '';
  }
  if (isDir) {
    fs.mkdirSync(target, { recursive: true });
    return { dir: target, log: path.join(target, 'log.jsonl'), snapshot: path.join(target, 'snapshot.json') };
  }
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  return { dir, log: target, snapshot: `${target}${SNAPSHOT_SUFFIX}` };
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}

function newBatch(): PendingBatch {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may fire and forget (`void log.append(x)`): never turn a write failure into an unhandled rejection.
  // Awaiting the promise still throws; the failure is also kept and rethrown by flush() and close().
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * A generic append-only durable log for local state (JSON records, one checksummed line each).
 *
 * - {@link DurableLog.open} replays the last snapshot and every record after it; a torn or corrupt tail
 *   (a kill -9 in the middle of a write) is truncated, never fatal.
 * - {@link DurableLog.append} batches the records of one event-loop tick into a single write.
 * - {@link DurableLog.compact} replaces the whole history with a snapshot (written to a temporary file,
 *   fsynced and atomically renamed), then truncates the log.
 *
 * One process at a time may have a given log open.
 *
 * @typeParam T - the record type (not validated on replay: records come back as they were written)
 * @typeParam S - the snapshot type
 */
export class DurableLog<T = unknown, S = unknown> {
  /** What was on disk when the log was opened. */
  readonly recovered: RecoveredState<T, S>;
  /** The log file's path. */
  readonly path: string;

  private fd: number | undefined;
  private nextSeq: number;
  private pending: PendingBatch | undefined;
  /**
   * The pending batch's lines, encoded in place: `writeBuffer[0, pendingBytes)`. One buffer is reused for every
   * batch (it is written synchronously), not one allocated per record and another to concatenate them.
   */
  private writeBuffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  private pendingBytes = 0;
  private flushScheduled = false;
  private failure: Error | undefined;
  private bytes: number;
  private recordCount: number;
  private readonly fsync: boolean;
  private readonly paths: LogPaths;
  private readonly lockFile: string | undefined;
  private syncChain: Promise<void> = Promise.resolve();

  private constructor(paths: LogPaths, options: DurableLogOptions) {
    this.paths = paths;
    this.path = paths.log;
    this.fsync = options.fsync ?? false;
    this.lockFile = options.lock === false ? undefined : `${paths.log}.lock`;
    if (this.lockFile !== undefined) acquireLock(this.lockFile);

    let snapshot: S | undefined;
    let snapshotSeq = 0;
    if (fs.existsSync(paths.snapshot)) {
      const bytes = fs.readFileSync(paths.snapshot);
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length;
      const decoded = decodeLine(bytes, 0, end);
      if (decoded === undefined) {
        throw new DurableLogCorruptionError(
          `durable-log: snapshot ${paths.snapshot} is corrupt (checksum or JSON)`,
        );
      }
      snapshot = decoded.record as S;
      snapshotSeq = decoded.seq;
    }
    // A stale temporary snapshot means a crash during compact() before the rename: the old state is intact.
    fs.rmSync(`${paths.snapshot}.tmp`, { force: true });

    const bytes = fs.existsSync(paths.log) ? fs.readFileSync(paths.log) : Buffer.alloc(0);
    const scan = scanLog(bytes);
    const truncatedBytes = bytes.length - scan.validLength;
    this.fd = fs.openSync(paths.log, 'a');
    if (truncatedBytes > 0) fs.ftruncateSync(this.fd, scan.validLength);
    if (scan.missingFinalNewline) fs.writeSync(this.fd, '\n');
    this.bytes = scan.validLength + (scan.missingFinalNewline ? 1 : 0);

    // Records up to the snapshot's sequence number are already in the snapshot (a crash between the snapshot's
    // rename and the log's truncation leaves them behind).
    const records: T[] = [];
    let lastSeq = snapshotSeq;
    for (const entry of scan.records) {
      if (entry.seq <= snapshotSeq) continue;
      records.push(entry.record as T);
      lastSeq = Math.max(lastSeq, entry.seq);
    }
    this.nextSeq = lastSeq + 1;
    this.recordCount = records.length;
    this.recovered = { snapshot, records, truncatedBytes };
  }

  /**
   * Opens (creating if needed) a log. `target` is either a directory (holding `log.jsonl` and `snapshot.json`;
   * a path without an extension that does not exist yet is created as a directory) or a log file path (its
   * snapshot goes beside it as `<file>.snapshot`).
   */
  static async open<T = unknown, S = unknown>(
    target: string,
    options: DurableLogOptions = {},
  ): Promise<DurableLog<T, S>> {
    return DurableLog.openSync<T, S>(target, options);
  }

  /** Synchronous variant of {@link DurableLog.open}, for start-up code that cannot await. */
  static openSync<T = unknown, S = unknown>(
    target: string,
    options: DurableLogOptions = {},
  ): DurableLog<T, S> {
    const paths = resolvePaths(target);
    try {
      return new DurableLog<T, S>(paths, options);
    } catch (error) {
      if (options.lock !== false && !(error instanceof DurableLogLockedError))
        releaseLock(`${paths.log}.lock`);
      throw error;
    }
  }

  /** Bytes in the log since the last compaction, pending appends included (use it to decide when to compact). */
  get sizeBytes(): number {
    return this.bytes;
  }

  /** Records in the log since the last compaction (recovered ones included). */
  get recordsSinceCompaction(): number {
    return this.recordCount;
  }

  /** True once {@link DurableLog.close} was called. */
  get closed(): boolean {
    return this.fd === undefined;
  }

  /**
   * Appends a record. It is serialised now (later mutation of the object does not change what is stored) and
   * written with the other records of this tick in one write. The promise resolves when the record is
   * acknowledged (see {@link DurableLogOptions.fsync}); fire-and-forget callers may ignore it.
   * Throws at once if the record is not JSON-serialisable or the log is closed.
   */
  append(record: T): Promise<void> {
    this.assertWritable();
    const seq = this.nextSeq;
    const json = recordJson(seq, record);
    const needed = this.pendingBytes + maxLineLength(seq, json);
    if (needed > this.writeBuffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.writeBuffer.length * 2));
      this.writeBuffer.copy(grown, 0, 0, this.pendingBytes);
      this.writeBuffer = grown;
    }
    const start = this.pendingBytes;
    this.pendingBytes = writeLine(seq, json, this.writeBuffer, start);
    this.nextSeq++;
    this.recordCount++;
    this.bytes += this.pendingBytes - start;
    const batch = (this.pending ??= newBatch());
    // One end-of-tick write pending at a time: a flush in between leaves it (it then finds nothing to write).
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flushAtEndOfTick);
    }
    return batch.promise;
  }

  /** Writes whatever is pending now and resolves once it is acknowledged. */
  async flush(): Promise<void> {
    const batch = this.pending;
    this.flushPending();
    if (batch) await batch.promise;
    await this.syncChain;
    if (this.failure) throw this.failure;
  }

  /**
   * Replaces the log's history with `snapshot`, which must reflect every record appended so far (including
   * ones not yet flushed). Written to `<snapshot>.tmp`, fsynced, atomically renamed, and only then is the log
   * truncated, so a crash at any point leaves either the old or the new state.
   */
  async compact(snapshot: S): Promise<void> {
    this.assertWritable();
    const fd = this.requireFd();
    const batch = this.pending;
    this.pending = undefined;
    const snapshotSeq = this.nextSeq - 1;
    const tmp = `${this.paths.snapshot}.tmp`;
    try {
      if (batch) this.writePending(fd);
      const tmpFd = fs.openSync(tmp, 'w');
      try {
        fs.writeSync(tmpFd, encodeRecord(snapshotSeq, snapshot));
        fs.fsyncSync(tmpFd);
      } finally {
        fs.closeSync(tmpFd);
      }
      fs.renameSync(tmp, this.paths.snapshot);
      fsyncDir(this.paths.dir);
      fs.ftruncateSync(fd, 0);
      if (this.fsync) fs.fdatasyncSync(fd);
      this.bytes = 0;
      this.recordCount = 0;
      batch?.resolve();
    } catch (error) {
      const failure = this.fail(error);
      batch?.reject(failure);
      throw failure;
    }
  }

  /** Flushes pending records, syncs them to disk and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    try {
      await this.flush();
    } finally {
      const fd = this.fd;
      this.fd = undefined;
      if (fd !== undefined) {
        try {
          fs.fdatasyncSync(fd);
        } finally {
          fs.closeSync(fd);
          if (this.lockFile !== undefined) releaseLock(this.lockFile);
        }
      }
    }
  }

  private readonly flushAtEndOfTick = (): void => {
    this.flushScheduled = false;
    this.flushPending();
  };

  private flushPending(): void {
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    if (this.failure) {
      this.pendingBytes = 0;
      batch.reject(this.failure);
      return;
    }
    const fd = this.fd;
    if (fd === undefined) {
      this.pendingBytes = 0;
      batch.reject(new Error('durable-log: closed before the batch was written'));
      return;
    }
    try {
      this.writePending(fd);
    } catch (error) {
      batch.reject(this.fail(error));
      return;
    }
    if (!this.fsync) {
      batch.resolve();
      return;
    }
    this.syncChain = this.syncChain.then(
      () =>
        new Promise<void>((resolve) => {
          fs.fdatasync(fd, (error) => {
            if (error) batch.reject(this.fail(error));
            else batch.resolve();
            resolve();
          });
        }),
    );
  }

  /** Writes the pending lines (all of them, or throws) and empties the write buffer. */
  private writePending(fd: number): void {
    const length = this.pendingBytes;
    this.pendingBytes = 0;
    let written = 0;
    while (written < length) written += fs.writeSync(fd, this.writeBuffer, written, length - written);
    // A batch far larger than usual does not keep its buffer.
    if (this.writeBuffer.length > 16 * WRITE_BUFFER_BYTES)
      this.writeBuffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  }

  private fail(error: unknown): Error {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.failure ??= failure;
    return failure;
  }

  private assertWritable(): void {
    if (this.fd === undefined) throw new Error(`durable-log: ${this.path} is closed`);
    if (this.failure) throw this.failure;
  }

  private requireFd(): number {
    if (this.fd === undefined) throw new Error(`durable-log: ${this.path} is closed`);
    return this.fd;
  }
}
