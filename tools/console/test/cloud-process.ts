import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The workspace root (this file is tools/console/test/cloud-process.ts). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The synthesized assembly the local cloud's own e2e suites keep (re-synthesized when the app changed). */
const SYNTH_SEED = path.join(REPO_ROOT, 'tmp', 'local-cloud-e2e', 'synth-seed');

/**
 * A local cloud started as a user starts it (`local-cloud serve` from the built bundle, which serves the built
 * console), on a random port with a fresh data folder. The console and the local cloud are built first.
 */
export class CloudProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
    readonly dataDir: string,
    private readonly log: { text: string },
  ) {}

  static async start(timeoutMs = 240_000): Promise<CloudProcess> {
    const outdir = path.join('tmp', 'console-e2e', String(process.pid));
    execFileSync(process.execPath, ['tools/console/scripts/build.mjs', '--quiet'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    execFileSync(process.execPath, ['tools/local-cloud/scripts/build.mjs', '--outdir', outdir, '--quiet'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'console-e2e-'));
    if (existsSync(SYNTH_SEED)) cpSync(SYNTH_SEED, path.join(dataDir, 'cdk.out'), { recursive: true });
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, outdir, 'main.cjs'), 'serve', '--port', '0', '--data-dir', dataDir],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    const log = { text: '' };
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`local cloud not ready within ${timeoutMs} ms:\n${log.text}`));
      }, timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        log.text += chunk.toString('utf8');
        const match = /Local cloud ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(log.text);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        log.text += chunk.toString('utf8');
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`local cloud exited (${code ?? signal ?? ''}) before ready:\n${log.text}`));
      });
    });
    return new CloudProcess(child, endpoint, dataDir, log);
  }

  /** What the process printed so far. */
  output(): string {
    return this.log.text;
  }

  /** SIGTERM, then removes the data folder. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
