import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The workspace root (this file is tools/local-cloud/test/e2e/harness.ts). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Dummy credentials and region: the local cloud accepts any SigV4 signature. */
export const TEST_CREDENTIALS = { accessKeyId: 'e2e', secretAccessKey: 'e2e' };
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

let bundle: string | undefined;

/**
 * Bundles `src/main.ts` (the entry `npm start` runs) with the same build script as the `build` target, once per test
 * file, into the repository's git-ignored `tmp/` (so npm packages resolve from node_modules).
 */
export const buildEntry = (): string => {
  if (bundle !== undefined) return bundle;
  const outdir = path.join('tmp', 'local-cloud-e2e', randomUUID());
  execFileSync(process.execPath, ['tools/local-cloud/scripts/build.mjs', '--outdir', outdir, '--quiet'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  bundle = path.join(REPO_ROOT, outdir, 'main.cjs');
  return bundle;
};

/**
 * The synthesized CDK assembly is cached between test files (the loader re-synthesizes when the app's inputs hash
 * differs, so a stale seed only costs time): a fresh data folder starts from the last assembly.
 */
const SYNTH_SEED = path.join(REPO_ROOT, 'tmp', 'local-cloud-e2e', 'synth-seed');

const inputHash = (dir: string): string | undefined => {
  try {
    return readFileSync(path.join(dir, '.input-hash'), 'utf8').trim();
  } catch {
    return undefined;
  }
};

const seedDataDir = (dataDir: string): void => {
  if (existsSync(SYNTH_SEED) && !existsSync(path.join(dataDir, 'cdk.out'))) {
    cpSync(SYNTH_SEED, path.join(dataDir, 'cdk.out'), { recursive: true });
  }
};

const refreshSeed = (dataDir: string): void => {
  const assembly = path.join(dataDir, 'cdk.out');
  const hash = inputHash(assembly);
  if (hash === undefined || hash === inputHash(SYNTH_SEED)) return;
  try {
    const staging = `${SYNTH_SEED}.${process.pid}`;
    cpSync(assembly, staging, { recursive: true });
    rmSync(SYNTH_SEED, { recursive: true, force: true });
    renameSync(staging, SYNTH_SEED);
  } catch {
    // Another test file refreshed it at the same time: either copy is fine.
  }
};

/** Options of {@link LocalCloudProcess.start}. */
export interface StartOptions {
  /** Reuse a data folder (restart tests); a fresh temp folder by default. */
  dataDir?: string;
  extraArgs?: string[];
  /** How long to wait for the ready line. */
  timeoutMs?: number;
}

/**
 * The local cloud started as a user starts it (`local-cloud serve`), on a random port and its own data folder.
 */
export class LocalCloudProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly endpoint: string,
    readonly dataDir: string,
    private readonly log: { text: string },
  ) {}

  /** Spawns the entry and resolves once it printed `Local cloud ready at <url>`. */
  static async start(options: StartOptions = {}): Promise<LocalCloudProcess> {
    const entry = buildEntry();
    const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'local-cloud-e2e-'));
    seedDataDir(dataDir);
    const child = spawn(
      process.execPath,
      [entry, 'serve', '--port', '0', '--data-dir', dataDir, ...(options.extraArgs ?? [])],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
    );
    const log = { text: '' };
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 240_000;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`local cloud not ready within ${timeoutMs} ms:\n${log.text}`));
      }, timeoutMs);
      const onData = (chunk: Buffer): void => {
        log.text += chunk.toString('utf8');
        const match = /Local cloud ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(log.text);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        log.text += chunk.toString('utf8');
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`local cloud exited (${code ?? signal ?? ''}) before ready:\n${log.text}`));
      });
    });
    refreshSeed(dataDir);
    return new LocalCloudProcess(child, endpoint, dataDir, log);
  }

  /** Everything the process printed so far. */
  output(): string {
    return this.log.text;
  }

  private exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return Promise.resolve({ code: this.child.exitCode, signal: this.child.signalCode });
    }
    return new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** SIGTERM, as Ctrl+C would; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const done = this.exited();
    this.child.kill('SIGTERM');
    return (await done).code;
  }

  /** kill -9: no chance to flush or close anything. */
  async kill9(): Promise<void> {
    const done = this.exited();
    this.child.kill('SIGKILL');
    await done;
  }

  /** Removes the data folder (after stop). */
  removeData(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** SDK client configuration for the local endpoint (as `AWS_ENDPOINT_URL` + dummy credentials would give). */
export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: TEST_CREDENTIALS,
  maxAttempts: 1,
  // StartSyncExecution and TestState carry the host prefix `sync-`, which would make `sync-127.0.0.1`.
  disableHostPrefix: true,
});

/** Which AWS CLI to use: `aws` on PATH (override with LOCAL_CLOUD_AWS_CLI). */
export const awsCliPath = (): string => process.env['LOCAL_CLOUD_AWS_CLI'] ?? 'aws';

/**
 * The first AWS CLI that knows `aws <service> <operation>`: LOCAL_CLOUD_AWS_CLI, then every `aws` on PATH in order.
 * Several may be installed (Debian's 2.9 predates TestState, a pip-installed v1 has it), and tools put directories
 * in front of PATH (Nx puts node's own directory, /usr/bin, first), so "the `aws` on PATH" is not one answer.
 * Fails naming what it tried when none knows the operation.
 */
export const awsCliWith = (service: string, operation: string): string => {
  const candidates = [
    ...(process.env['LOCAL_CLOUD_AWS_CLI'] === undefined ? [] : [process.env['LOCAL_CLOUD_AWS_CLI']]),
    ...(process.env['PATH'] ?? '')
      .split(path.delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => path.join(dir, 'aws'))
      .filter((file) => existsSync(file)),
  ];
  const tried: string[] = [];
  for (const cli of new Set(candidates)) {
    try {
      // Without arguments an operation the CLI knows fails on its required parameters; an unknown one on its name.
      execFileSync(cli, [service, operation], { stdio: 'pipe', env: { ...process.env, AWS_PAGER: '' } });
      return cli;
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      if (!stderr.includes('Invalid choice')) return cli;
      tried.push(cli);
    }
  }
  throw new Error(
    `No AWS CLI here knows "aws ${service} ${operation}" (tried: ${tried.join(', ') || 'none found'}); install a newer one (pip install awscli) or set LOCAL_CLOUD_AWS_CLI.`,
  );
};

/** The Debian AWS CLI (v2.9, speaks the SQS query protocol) when installed. */
export const debianAwsCli = (): string | undefined =>
  existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined;

/** Result of an AWS CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws --endpoint-url <endpoint> ...args` with dummy credentials; never rejects on a non-zero exit. */
export const aws = (
  endpoint: string,
  args: readonly string[],
  cli: string = awsCliPath(),
): Promise<CliResult> =>
  new Promise((resolve) => {
    execFile(
      cli,
      ['--endpoint-url', endpoint, '--region', REGION, '--output', 'json', ...args],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'e2e',
          AWS_SECRET_ACCESS_KEY: 'e2e',
          AWS_DEFAULT_REGION: REGION,
          AWS_PAGER: '',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });

/** Polls `probe` until it returns a value (not undefined) or the timeout passes. */
export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 90_000,
  intervalMs = 100,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${lastError === undefined ? '' : `: ${String(lastError)}`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
