import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBridgeService } from './event-bridge-service';

const repoRoot = path.resolve(__dirname, '../../../..');

/** Runs the writer child until at least `minPut` events were acknowledged, then kills it with SIGKILL. */
function runAndKill(dataDir: string, minPut: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'test-support/events-kill-writer.ts'), dataDir],
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
        const match = /^put (\d+)/.exec(line);
        if (match?.[1] !== undefined) acknowledged = Number(match[1]);
      }
      if (acknowledged + 1 >= minPut && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged + 1);
      else reject(new Error(`writer exited with ${String(code)}: ${stderr}`));
    });
  });
}

describe('EventBridgeService recent events after kill -9', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-kill9-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the newest acknowledged events, in order, with their delivery statuses', async () => {
    // Arrange / Act: the writer keeps 50 events and compacts its journal every 200 records (2 per event)
    const acknowledged = await runAndKill(dataDir, 300);
    const events = await EventBridgeService.open({
      dataDir,
      recentEventsLimit: 50,
      dispatcher: { dispatch: async () => undefined },
    });
    const kept = events.recentEvents().reverse();
    const numbers = kept.map((entry) => (entry.event.detail as { n: number }).n);
    // Assert: 50 consecutive events, the last acknowledged among them (maybe one more written but not acknowledged)
    const first = numbers[0] ?? -1;
    expect(numbers).toStrictEqual(Array.from({ length: 50 }, (_, i) => first + i));
    expect(numbers).toContain(acknowledged - 1);
    expect(first + 50 - acknowledged).toBeLessThanOrEqual(1);
    const statuses = kept.filter((entry) => (entry.event.detail as { n: number }).n < acknowledged);
    expect(new Set(statuses.map((entry) => entry.deliveries[0]?.status))).toStrictEqual(
      new Set(['delivered']),
    );
    await events.close();
  }, 60_000);
});
