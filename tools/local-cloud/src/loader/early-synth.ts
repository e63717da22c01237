import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isSynthFresh, SynthError, type SynthOptions, type SynthResult } from './synth';

/** The synth {@link startSynth} started (or found unnecessary). */
export interface StartedSynth {
  /** True when a synth process is running (the cached assembly was stale or missing). */
  readonly running: boolean;
  /** Settles when the assembly in `outDir` is ready to read. */
  readonly result: Promise<SynthResult>;
}

/** Prefix of the runner's result line on stdout (the other lines are the synth's output). */
export const RESULT_PREFIX = '@@synth-result ';
/** Prefix of the runner's failure line on stdout (a JSON string: the error message). */
export const ERROR_PREFIX = '@@synth-error ';

/** The options {@link startSynth} hands the runner (JSON on its command line). */
export type RunnerOptions = Omit<SynthOptions, 'log'>;

/**
 * Starts the local synth as early as possible, before the server loads its modules: a synchronous freshness check
 * (a few `stat`s), and when the assembly is stale, the whole synth (esbuild bundle, input hash, the app's run) in
 * a runner process (`runnerFile`, the bundled `synth-runner.ts`), so it runs on another core while this process
 * starts. Falls back to nothing (`undefined`) when the runner file is not there; the caller then synthesizes itself.
 */
export const startSynth = (
  options: SynthOptions,
  runnerFile: string,
  onLine?: (line: string) => void,
): StartedSynth | undefined => {
  if (isSynthFresh(options)) return undefined;
  if (!existsSync(runnerFile)) return undefined;
  const { log: _log, ...runnerOptions } = options;
  const output: string[] = [];
  let result: SynthResult | undefined;
  let failure: string | undefined;
  const child = spawn(process.execPath, [runnerFile, JSON.stringify(runnerOptions satisfies RunnerOptions)], {
    cwd: options.repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      if (line.startsWith(RESULT_PREFIX)) {
        result = JSON.parse(line.slice(RESULT_PREFIX.length)) as SynthResult;
        continue;
      }
      if (line.startsWith(ERROR_PREFIX)) {
        failure = JSON.parse(line.slice(ERROR_PREFIX.length)) as string;
        continue;
      }
      output.push(line);
      onLine?.(line);
      options.log?.(line);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const settled = new Promise<SynthResult>((resolve, reject) => {
    child.on('error', (error) =>
      reject(new SynthError(`could not start the synth runner: ${error.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else
        reject(
          new SynthError(
            failure ??
              `the synth runner exited with ${String(code)}:\n${output.slice(-40).join('\n')}`.trimEnd(),
          ),
        );
    });
  });
  // Nobody may be waiting yet (the server is still loading): a failure is reported when it is awaited.
  settled.catch(() => undefined);
  return { running: true, result: settled };
};

/** Where `startSynth`'s runner is, beside the running bundle (`dist/tools/local-cloud/synth-runner.cjs`). */
export const bundledRunnerFile = (entryFile: string | undefined): string =>
  join(entryFile === undefined ? '.' : join(entryFile, '..'), 'synth-runner.cjs');
