import { buildSync } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VirtualClock } from './clock';
import { Engine } from './engine';
import { FileStore } from './file-store';
import type { IntegrationRegistry, TaskInvocation } from './integrations';

const ROOT = path.resolve(__dirname, '../../..');
const COUNT = 5;
const CHILD_BUNDLE = path.join(ROOT, 'tmp/asl-engine/durability-child.js');

/** Bundles the child script (a plain `node` process then runs it: no loader in between to survive the kill). */
function buildChild(): void {
  buildSync({
    entryPoints: [path.join(__dirname, 'durability-child.ts')],
    bundle: true,
    platform: 'node',
    packages: 'external',
    outfile: CHILD_BUNDLE,
    tsconfig: path.join(ROOT, 'tools/asl-engine/tsconfig.json'),
    logLevel: 'error',
  });
}

/** Starts the child, waits for READY, kills it with SIGKILL; returns the integration calls it reported. */
async function runAndKillChild(dir: string): Promise<string[]> {
  const child = spawn(process.execPath, [CHILD_BUNDLE, dir, String(COUNT)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        if (line === 'READY') {
          child.kill('SIGKILL');
          resolve();
        } else if (line.startsWith('INVOKE ')) lines.push(line.slice(7));
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code}): ${stderr}`));
    });
    // Never leave the child behind, even on a machine too loaded for it to get ready.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child not ready after 150 s: ${stderr}`));
    }, 150_000);
    child.on('exit', () => clearTimeout(guard));
  });
  await new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', () => resolve()),
  );
  return lines;
}

describe('durability (FileStore, kill -9)', () => {
  let dir: string;
  beforeAll(() => {
    buildChild();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'asl-durability-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes waiting executions in a new engine after SIGKILL, with nothing lost or run twice', async () => {
    // Arrange: a real child process starts callback and Wait executions and is killed mid-run.
    const childCalls = await runAndKillChild(dir);
    const calls: TaskInvocation[] = [];
    const integrations: IntegrationRegistry = {
      resolve: () => async (inv) => {
        calls.push(inv);
        return { ok: true };
      },
    };
    const store = await FileStore.open(dir);
    // The Waits last an hour: a virtual clock that starts now lets the test skip it (and the child, on real time,
    // cannot have finished them before it was killed).
    const clock = new VirtualClock(Date.now());
    const engine = new Engine({ store, clock, integrations });
    // Act
    await engine.start();
    const running = (await engine.listExecutions({ statusFilter: 'RUNNING' })).executions
      .map((e) => e.name)
      .sort();
    for (let i = 0; i < COUNT; i++) {
      const arn = `arn:aws:states:us-east-1:000000000000:execution:callbacks:cb-${i}`;
      const events = (await engine.getExecutionHistory({ executionArn: arn })).events;
      const scheduled = events.find((e) => e.type === 'TaskScheduled');
      const params = JSON.parse(String(scheduled?.taskScheduledEventDetails?.['parameters'])) as {
        MessageBody: { token: string };
      };
      await engine.sendTaskSuccess({
        taskToken: params.MessageBody.token,
        output: JSON.stringify({ approved: i }),
      });
    }
    await clock.advance(3_600_000);
    const finals = [];
    for (let i = 0; i < COUNT; i++) {
      finals.push(
        await engine.waitForExecution(`arn:aws:states:us-east-1:000000000000:execution:callbacks:cb-${i}`),
      );
      finals.push(
        await engine.waitForExecution(`arn:aws:states:us-east-1:000000000000:execution:waits:wait-${i}`),
      );
    }
    await engine.close();
    await store.close();
    // Assert
    const expectedNames = [...Array(COUNT).keys()].flatMap((i) => [`cb-${i}`, `wait-${i}`]).sort();
    expect(running).toStrictEqual(expectedNames);
    expect(finals.map((d) => d.status)).toStrictEqual(Array(COUNT * 2).fill('SUCCEEDED'));
    expect(JSON.parse(finals[0]?.output ?? '')).toStrictEqual({ i: 0, answer: { approved: 0 } });
    // Every side effect happened exactly once across both processes.
    const all = [...childCalls, ...calls.map((c) => `${c.service}:${c.action} ${c.execution.name}`)].sort();
    const expected = [...Array(COUNT).keys()]
      .flatMap((i) => [
        `sqs:sendMessage cb-${i}`,
        `events:putEvents cb-${i}`,
        `events:putEvents wait-${i}`,
        `events:putEvents wait-${i}`,
      ])
      .sort();
    expect(all).toStrictEqual(expected);
    expect(calls.some((c) => c.service === 'sqs')).toBe(false);
  }, 180_000);
});
