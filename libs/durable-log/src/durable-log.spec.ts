import { spawn } from 'node:child_process';
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DurableLog, DurableLogCorruptionError } from './durable-log';
import { DurableLogLockedError } from './lock';
import { runWriterUntilKilled } from '@flow/testing';
import { encodeRecord, scanLog } from './record-codec';

interface Rec {
  readonly n: number;
  readonly pad?: string;
}

const repoRoot = path.resolve(__dirname, '../../..');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durable-log-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DurableLog', () => {
  it('replays appended records in order after close and reopen', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir);
    // Act
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    await log.append({ n: 3 });
    await log.close();
    const reopened = await DurableLog.open<Rec>(dir);
    // Assert
    expect(reopened.recovered).toStrictEqual({
      snapshot: undefined,
      records: [{ n: 1 }, { n: 2 }, { n: 3 }],
      truncatedBytes: 0,
    });
    await reopened.close();
  });

  it('uses <dir>/log.jsonl for a directory and <file>.snapshot beside a file path', async () => {
    // Arrange
    const file = path.join(dir, 'sub', 'queue.log');
    // Act
    const byDir = await DurableLog.open<Rec, { count: number }>(path.join(dir, 'state'));
    await byDir.append({ n: 1 });
    await byDir.compact({ count: 1 });
    const byFile = await DurableLog.open<Rec, { count: number }>(file);
    await byFile.append({ n: 1 });
    await byFile.compact({ count: 1 });
    await byDir.close();
    await byFile.close();
    // Assert
    expect(fs.readdirSync(path.join(dir, 'state')).sort()).toStrictEqual(['log.jsonl', 'snapshot.json']);
    expect(fs.readdirSync(path.join(dir, 'sub')).sort()).toStrictEqual(['queue.log', 'queue.log.snapshot']);
  });

  it('writes all appends of one tick in a single batch', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir);
    const writeSync = jest.spyOn(fs, 'writeSync');
    // Act
    const acks = Array.from({ length: 100 }, (_, n) => log.append({ n }));
    await Promise.all(acks);
    // Assert
    expect(writeSync).toHaveBeenCalledTimes(1);
    expect(log.recordsSinceCompaction).toBe(100);
    await log.close();
  });

  it('writes a batch larger than its write buffer whole, each line as encodeRecord encodes it', async () => {
    // Arrange: records of 100 KiB (the reused write buffer starts at 64 KiB), then small ones after it
    const big = (n: number): Rec => ({ n, pad: 'é'.repeat(50_000) });
    const log = await DurableLog.open<Rec>(dir);
    // Act
    await Promise.all([log.append(big(1)), log.append({ n: 2 }), log.append(big(3))]);
    await log.append({ n: 4 });
    await log.close();
    // Assert
    const expected = Buffer.concat([
      encodeRecord(1, big(1)),
      encodeRecord(2, { n: 2 }),
      encodeRecord(3, big(3)),
      encodeRecord(4, { n: 4 }),
    ]);
    expect(fs.readFileSync(path.join(dir, 'log.jsonl')).equals(expected)).toBe(true);
    const reopened = await DurableLog.open<Rec>(dir);
    expect(reopened.recovered.records).toStrictEqual([big(1), { n: 2 }, big(3), { n: 4 }]);
    await reopened.close();
  });

  it('keeps one end-of-tick write scheduled however often it is flushed in between', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir);
    const schedule = jest.spyOn(global, 'setImmediate');
    // Act: appends and flushes within one tick, then one more append left to the end of the tick
    for (let n = 1; n <= 3; n++) {
      void log.append({ n });
      void log.flush();
    }
    const last = log.append({ n: 4 });
    const scheduled = schedule.mock.calls.length;
    schedule.mockRestore();
    await last;
    await log.close();
    // Assert
    expect(scheduled).toBe(1);
    const reopened = await DurableLog.open<Rec>(dir);
    expect(reopened.recovered.records).toStrictEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    await reopened.close();
  });

  it('counts pending appends in sizeBytes and resets it on compaction', async () => {
    // Arrange
    const log = await DurableLog.open<Rec, { n: number }>(dir);
    // Act
    void log.append({ n: 1 });
    const pendingSize = log.sizeBytes;
    await log.flush();
    const fileSize = fs.statSync(log.path).size;
    await log.compact({ n: 1 });
    // Assert
    expect(pendingSize).toBe(fileSize);
    expect(log.sizeBytes).toBe(0);
    await log.close();
  });

  it('stores the record as it was when appended', async () => {
    // Arrange
    const log = await DurableLog.open<{ items: number[] }>(dir);
    const record = { items: [1] };
    // Act
    const ack = log.append(record);
    record.items.push(2);
    await ack;
    await log.close();
    // Assert
    const reopened = await DurableLog.open<{ items: number[] }>(dir);
    expect(reopened.recovered.records).toStrictEqual([{ items: [1] }]);
    await reopened.close();
  });

  it('acknowledges appends in fsync mode after the data is synced', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir, { fsync: true });
    const fdatasync = jest.spyOn(fs, 'fdatasync');
    // Act
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    // Assert
    expect(fdatasync).toHaveBeenCalledTimes(1);
    await log.close();
    const reopened = await DurableLog.open<Rec>(dir);
    expect(reopened.recovered.records).toStrictEqual([{ n: 1 }, { n: 2 }]);
    await reopened.close();
  });

  it('truncates a torn last line and keeps appending after the valid prefix', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir);
    await log.append({ n: 1 });
    await log.close();
    const torn = encodeRecord(2, { n: 2 }).subarray(0, 15);
    fs.appendFileSync(path.join(dir, 'log.jsonl'), torn);
    // Act
    const reopened = await DurableLog.open<Rec>(dir);
    await reopened.append({ n: 3 });
    await reopened.close();
    const again = await DurableLog.open<Rec>(dir);
    // Assert
    expect(reopened.recovered).toStrictEqual({
      snapshot: undefined,
      records: [{ n: 1 }],
      truncatedBytes: 15,
    });
    expect(again.recovered).toStrictEqual({
      snapshot: undefined,
      records: [{ n: 1 }, { n: 3 }],
      truncatedBytes: 0,
    });
    await again.close();
  });

  it('truncates at a line whose checksum does not match (a corrupt tail)', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir);
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    await log.close();
    const file = path.join(dir, 'log.jsonl');
    const bytes = fs.readFileSync(file);
    const secondLine = bytes.indexOf(0x0a) + 1;
    bytes[bytes.length - 3] = '9'.charCodeAt(0); // flips a digit inside the second record's JSON
    fs.writeFileSync(file, bytes);
    // Act
    const reopened = await DurableLog.open<Rec>(dir);
    // Assert
    expect(reopened.recovered).toStrictEqual({
      snapshot: undefined,
      records: [{ n: 1 }],
      truncatedBytes: bytes.length - secondLine,
    });
    expect(fs.statSync(file).size).toBe(secondLine);
    await reopened.close();
  });

  it('keeps a complete last record that lost only its newline', async () => {
    // Arrange
    const file = path.join(dir, 'log.jsonl');
    const line = encodeRecord(1, { n: 1 });
    fs.writeFileSync(file, line.subarray(0, line.length - 1));
    // Act
    const log = await DurableLog.open<Rec>(dir);
    await log.append({ n: 2 });
    await log.close();
    const reopened = await DurableLog.open<Rec>(dir);
    // Assert
    expect(log.recovered.records).toStrictEqual([{ n: 1 }]);
    expect(reopened.recovered.records).toStrictEqual([{ n: 1 }, { n: 2 }]);
    await reopened.close();
  });

  it('compacts to a snapshot and replays only the records appended after it', async () => {
    // Arrange
    const log = await DurableLog.open<Rec, { total: number }>(dir);
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    // Act
    void log.append({ n: 3 }); // pending when compact is called: covered by the snapshot
    await log.compact({ total: 3 });
    await log.append({ n: 4 });
    await log.close();
    const reopened = await DurableLog.open<Rec, { total: number }>(dir);
    // Assert
    expect(reopened.recovered).toStrictEqual({
      snapshot: { total: 3 },
      records: [{ n: 4 }],
      truncatedBytes: 0,
    });
    expect(reopened.recordsSinceCompaction).toBe(1);
    await reopened.close();
  });

  it('skips records already covered by the snapshot after a crash between rename and truncate', async () => {
    // Arrange: the state a crash right after the snapshot's rename leaves behind
    const log = await DurableLog.open<Rec, { total: number }>(dir);
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    await log.close();
    const logBytes = fs.readFileSync(path.join(dir, 'log.jsonl'));
    const compacting = await DurableLog.open<Rec, { total: number }>(dir);
    await compacting.compact({ total: 2 });
    await compacting.close();
    fs.writeFileSync(path.join(dir, 'log.jsonl'), logBytes);
    fs.writeFileSync(path.join(dir, 'snapshot.json.tmp'), 'half a snap');
    // Act
    const reopened = await DurableLog.open<Rec, { total: number }>(dir);
    await reopened.append({ n: 3 });
    await reopened.close();
    const again = await DurableLog.open<Rec, { total: number }>(dir);
    // Assert
    expect(reopened.recovered).toStrictEqual({ snapshot: { total: 2 }, records: [], truncatedBytes: 0 });
    expect(again.recovered.records).toStrictEqual([{ n: 3 }]);
    expect(fs.existsSync(path.join(dir, 'snapshot.json.tmp'))).toBe(false);
    await again.close();
  });

  it('fails when the snapshot file is corrupt', async () => {
    // Arrange
    fs.writeFileSync(path.join(dir, 'snapshot.json'), '00000000 {"s":1,"r":{}}\n');
    // Act / Assert
    await expect(DurableLog.open(dir)).rejects.toThrow(DurableLogCorruptionError);
  });

  it('fails when a record is not JSON-serialisable', async () => {
    // Arrange
    const log = await DurableLog.open<unknown>(dir);
    // Act / Assert
    expect(() => log.append(undefined)).toThrow('record 1 is not JSON-serialisable');
    await log.close();
  });

  it('fails when appending after close', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir);
    await log.close();
    // Act / Assert
    expect(() => log.append({ n: 1 })).toThrow('is closed');
    expect(log.closed).toBe(true);
  });

  it('rejects the batch and every later append when a write fails', async () => {
    // Arrange
    const log = await DurableLog.open<Rec>(dir);
    jest.spyOn(fs, 'writeSync').mockImplementationOnce(() => {
      throw new Error('ENOSPC: no space left on device');
    });
    // Act
    const ack = log.append({ n: 1 });
    // Assert
    await expect(ack).rejects.toThrow('ENOSPC');
    expect(() => log.append({ n: 2 })).toThrow('ENOSPC');
    await expect(log.close()).rejects.toThrow('ENOSPC');
  });
});

/** Runs the writer child, waits for at least `minAcks` acknowledged records, then kills it with SIGKILL. */
const runAndKill = async (
  target: string,
  minAcks: number,
  extraArgs: string[] = [],
): Promise<{ acknowledged: number }> => ({
  acknowledged: await runWriterUntilKilled(path.join(__dirname, 'test-support/kill-writer.ts'), {
    args: [target, ...extraArgs],
    cwd: repoRoot,
    // `ack <first>..<last>`: records up to <last> (counted from 0) are acknowledged.
    acknowledgedBy: (line) => {
      const last = /^ack \d+\.\.(\d+)$/.exec(line)?.[1];
      return last === undefined ? undefined : Number(last) + 1;
    },
    minAcknowledged: minAcks,
  }),
});

describe('DurableLog after kill -9', () => {
  it('recovers every acknowledged record of a writer killed mid-writes', async () => {
    // Arrange / Act
    const { acknowledged } = await runAndKill(dir, 3000);
    const log = await DurableLog.open<Rec>(dir);
    // Assert: an unbroken prefix 0..k with k covering every acknowledged record
    const numbers = log.recovered.records.map((record) => record.n);
    expect(numbers.length).toBeGreaterThanOrEqual(acknowledged);
    expect(numbers).toStrictEqual(Array.from({ length: numbers.length }, (_, n) => n));
    // and the log stays appendable and clean
    await log.append({ n: numbers.length });
    await log.close();
    const bytes = fs.readFileSync(path.join(dir, 'log.jsonl'));
    expect(scanLog(bytes).validLength).toBe(bytes.length);
  }, 30_000);

  it('recovers every acknowledged record when killed while compacting', async () => {
    // Arrange / Act
    const { acknowledged } = await runAndKill(dir, 5000, ['--compact-every', '700']);
    const log = await DurableLog.open<Rec, { upTo: number }>(dir);
    // Assert: snapshot covers 0..upTo-1, the records continue from upTo without a gap
    const upTo = log.recovered.snapshot?.upTo ?? 0;
    const numbers = log.recovered.records.map((record) => record.n);
    expect(upTo).toBeGreaterThan(0);
    expect(numbers).toStrictEqual(Array.from({ length: numbers.length }, (_, i) => upTo + i));
    expect(upTo + numbers.length).toBeGreaterThanOrEqual(acknowledged);
    await log.close();
  }, 30_000);
});

describe('DurableLog lock', () => {
  it('fails when another live process has the log open, and takes the lock over once it died', async () => {
    // Arrange: a child process holding the log open
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'test-support/lock-holder.ts'), dir],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('open')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`holder exited with ${String(code)}`)));
    });
    // Act
    const whileHeld = await DurableLog.open(dir).then(
      () => undefined,
      (error: unknown) => error,
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const afterDeath = await DurableLog.open(dir);
    // Assert
    expect(whileHeld).toBeInstanceOf(DurableLogLockedError);
    expect((whileHeld as DurableLogLockedError).ownerPid).toBe(child.pid);
    expect(fs.readFileSync(path.join(dir, 'log.jsonl.lock'), 'utf8')).toBe(String(process.pid));
    await afterDeath.close();
    expect(fs.existsSync(path.join(dir, 'log.jsonl.lock'))).toBe(false);
  }, 30_000);

  it('takes no lock with lock: false', async () => {
    // Arrange / Act
    const log = await DurableLog.open(dir, { lock: false });
    // Assert
    expect(fs.existsSync(path.join(dir, 'log.jsonl.lock'))).toBe(false);
    await log.close();
  });
});
