import path from 'node:path';
import { runWriterUntilKilled as runUntilKilled } from '@flow/testing';

const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * Runs a local-cloud writer script (TypeScript, through tsx, with this project's tsconfig) in a real child process
 * with `dataDir` as its argument. It acknowledges on stdout with `<verb> <n>` lines (counted from 0); it is killed
 * with SIGKILL as soon as at least `minAcknowledged` were acknowledged. Resolves with how many were acknowledged.
 */
export const runWriterUntilKilled = (
  writerScript: string,
  dataDir: string,
  { verb, minAcknowledged }: { verb: string; minAcknowledged: number },
): Promise<number> => {
  const acknowledgement = new RegExp(`^${verb} (\\d+)`);
  return runUntilKilled(writerScript, {
    args: [dataDir],
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tools/local-cloud/tsconfig.json' },
    acknowledgedBy: (line) => {
      const n = acknowledgement.exec(line)?.[1];
      return n === undefined ? undefined : Number(n) + 1;
    },
    minAcknowledged,
  });
};
