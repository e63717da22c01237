/**
 * The synth runner (bundled as dist/tools/local-cloud/synth-runner.cjs): runs {@link synthesize} with the options
 * given as JSON in argv[2] and reports on stdout: the synth's output lines, then one result or error line
 * ({@link RESULT_PREFIX}, {@link ERROR_PREFIX}). Started by {@link startSynth} so the synth overlaps the server's start.
 */
import { ERROR_PREFIX, RESULT_PREFIX, type RunnerOptions } from './early-synth';
import { synthesize } from './synth';

const run = async (): Promise<void> => {
  const options = JSON.parse(process.argv[2] ?? '') as RunnerOptions;
  const result = await synthesize({
    ...options,
    log: (line) => process.stdout.write(`${line}\n`),
    // This process exists for the synth: the app runs here (no second node to start).
    inThisProcess: true,
  });
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
};

run().catch((error: unknown) => {
  process.stdout.write(
    `${ERROR_PREFIX}${JSON.stringify(error instanceof Error ? error.message : String(error))}\n`,
  );
  process.exitCode = 1;
});
