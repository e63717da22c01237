import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { readCloudAssembly } from './assembly';
import { startSynth } from './early-synth';
import { SynthError, synthesize } from './synth';

const repoRoot = resolve(__dirname, '../../../..');

describe('startSynth', () => {
  let work: string;
  let appDir: string;
  let runnerFile: string;

  beforeAll(async () => {
    // The runner as the build ships it: one CommonJS bundle, inside the repository (its packages resolve there).
    runnerFile = join(
      mkdtempSync(join(repoRoot, 'tools/local-cloud/test/fixtures/apps/tmp-runner-')),
      'synth-runner.cjs',
    );
    await build({
      entryPoints: [join(__dirname, 'synth-runner.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      outfile: runnerFile,
      logLevel: 'silent',
    });
  });

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'early-synth-'));
    appDir = mkdtempSync(join(repoRoot, 'tools/local-cloud/test/fixtures/apps/tmp-'));
    cpSync(join(repoRoot, 'tools/local-cloud/test/fixtures/apps/tiny'), appDir, { recursive: true });
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(appDir, { recursive: true, force: true });
  });

  afterAll(() => rmSync(join(runnerFile, '..'), { recursive: true, force: true }));

  it('synthesizes a stale assembly in the runner process, then finds it fresh', async () => {
    // Arrange
    const options = {
      repoRoot,
      appEntry: relative(repoRoot, join(appDir, 'app.ts')),
      outDir: join(work, 'cdk.out'),
    };

    // Act
    const started = startSynth(options, runnerFile);
    const result = await started?.result;
    const again = startSynth(options, runnerFile);
    const [stack] = await readCloudAssembly(join(work, 'cdk.out'));

    // Assert
    expect(started?.running).toBe(true);
    expect(result?.cached).toBe(false);
    expect(result?.outDir).toBe(join(work, 'cdk.out'));
    expect(again).toBeUndefined();
    expect(stack?.template.Resources?.['Q']?.Properties?.['QueueName']).toBe('tiny-queue');
    // The in-process synth agrees that nothing changed.
    expect((await synthesize(options)).cached).toBe(true);
  }, 120_000);

  it('leaves the synth to the caller when there is no runner file', () => {
    // Act
    const started = startSynth(
      { repoRoot, appEntry: relative(repoRoot, join(appDir, 'app.ts')), outDir: join(work, 'cdk.out') },
      join(work, 'no-runner.cjs'),
    );

    // Assert
    expect(started).toBeUndefined();
  });

  it('fails when the app throws, with the app’s error in the message', async () => {
    // Arrange
    const lines: string[] = [];

    // Act
    const started = startSynth(
      {
        repoRoot,
        appEntry: 'tools/local-cloud/test/fixtures/apps/broken-app.ts',
        outDir: join(work, 'cdk.out'),
      },
      runnerFile,
      (line) => lines.push(line),
    );

    // Assert
    await expect(started?.result).rejects.toBeInstanceOf(SynthError);
    await expect(started?.result).rejects.toThrow(/this app does not synthesize/);
    expect(lines.some((line) => line.includes('this app does not synthesize'))).toBe(true);
  }, 120_000);
});
