import { spawn } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * Runs a writer script (TypeScript, through tsx) in a real child process with `dataDir` as its argument, reads the
 * numbers it acknowledges on stdout (`<verb> <n>` lines, counted from 0), and kills it with SIGKILL as soon as at
 * least `minAcknowledged` were acknowledged. Resolves with how many were acknowledged; rejects if the writer exits
 * on its own.
 */
export const runWriterUntilKilled = (
  writerScript: string,
  dataDir: string,
  { verb, minAcknowledged }: { verb: string; minAcknowledged: number },
): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tools/local-cloud/tsconfig.json' },
    });
    const acknowledgement = new RegExp(`^${verb} (\\d+)`);
    let acknowledged = -1;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = acknowledgement.exec(line);
        if (match?.[1] !== undefined) acknowledged = Number(match[1]);
      }
      if (acknowledged + 1 >= minAcknowledged && child.exitCode === null && !child.killed)
        child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged + 1);
      else reject(new Error(`writer exited with ${String(code)}: ${stderr}`));
    });
  });
