import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from './clock';
import { SqsService } from './sqs-service';

const repoRoot = path.resolve(__dirname, '../../../..');

/** Runs the writer child until at least `minSent` sends were acknowledged, then kills it with SIGKILL. */
function runAndKill(dataDir: string, minSent: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'test-support/sqs-kill-writer.ts'), dataDir],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TSX_TSCONFIG_PATH: 'tools/local-cloud/tsconfig.json' },
      },
    );
    let acknowledged = -1;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^sent (\d+)/.exec(line);
        if (match?.[1] !== undefined) acknowledged = Number(match[1]);
      }
      if (acknowledged + 1 >= minSent && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged + 1);
      else reject(new Error(`writer exited with ${String(code)}: ${stderr}`));
    });
  });
}

describe('SqsService after kill -9', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-kill9-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message; in-flight ones come back after their visibility timeout', async () => {
    // Arrange / Act
    const acknowledged = await runAndKill(dataDir, 400);
    const clock = new ManualClock(Date.now());
    const sqs = await SqsService.open({ dataDir, clock });
    const visibleNow = sqs.peek('q', { limit: 100_000 }).filter((m) => m.state === 'visible').length;
    await clock.advance(30_000);
    const bodies = sqs.peek('q', { limit: 100_000 }).map((m) => m.body);
    // Assert: every acknowledged send is there (maybe a few more that were written but not yet acknowledged)
    const expected = Array.from({ length: acknowledged }, (_, n) => `m${n}`);
    expect(bodies.slice(0, acknowledged)).toStrictEqual(expected);
    expect(bodies.length).toBeGreaterThanOrEqual(acknowledged);
    // about half were in flight when the process died: hidden until their visibility timeout passed
    expect(visibleNow).toBeLessThan(bodies.length);
    expect(sqs.peek('q', { limit: 100_000 }).every((m) => m.state === 'visible')).toBe(true);
    await sqs.close();
  }, 60_000);
});
