import { spawn } from 'node:child_process';

/** Options of {@link runWriterUntilKilled}. */
export interface KillWriterOptions {
  /** Arguments after the script (e.g. its data folder). */
  readonly args: readonly string[];
  /** Working directory of the child (where tsx finds the workspace's tsconfig). */
  readonly cwd: string;
  /** Environment of the child (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** How many records a stdout line says are acknowledged so far, or `undefined` for any other line. */
  readonly acknowledgedBy: (line: string) => number | undefined;
  /** Kill the writer once at least this many records are acknowledged. */
  readonly minAcknowledged: number;
}

/**
 * Runs a writer script (TypeScript, through tsx) in a real child process, follows how many records it acknowledges
 * on stdout, and kills it with SIGKILL as soon as at least `minAcknowledged` were: the kill -9 half of a durability
 * test (the other half reopens the store and finds every acknowledged record). Resolves with the highest count
 * acknowledged before the kill; rejects if the writer exits on its own.
 */
export const runWriterUntilKilled = (script: string, options: KillWriterOptions): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...options.args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
    });
    let acknowledged = 0;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) acknowledged = Math.max(acknowledged, options.acknowledgedBy(line) ?? 0);
      if (acknowledged >= options.minAcknowledged && child.exitCode === null && !child.killed)
        child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`writer exited with ${String(code)}: ${stderr}`));
    });
  });
