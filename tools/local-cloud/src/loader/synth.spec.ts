import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { readCloudAssembly } from './assembly';
import { SynthError, synthesize } from './synth';

const repoRoot = resolve(__dirname, '../../../..');

describe('synthesize', () => {
  let work: string;
  let appDir: string;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'synth-'));
    // A copy of the tiny app inside the repository (so esbuild resolves it like the real one).
    appDir = mkdtempSync(join(repoRoot, 'tools/local-cloud/test/fixtures/apps/tmp-'));
    cpSync(join(repoRoot, 'tools/local-cloud/test/fixtures/apps/tiny'), appDir, { recursive: true });
  });

  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(appDir, { recursive: true, force: true });
  });

  it('runs the app with bundling skipped, then reuses the assembly until an imported file changes', async () => {
    // Arrange
    const options = {
      repoRoot,
      appEntry: relative(repoRoot, join(appDir, 'app.ts')),
      outDir: join(work, 'cdk.out'),
    };

    // Act
    const first = await synthesize(options);
    const second = await synthesize(options);
    writeFileSync(join(appDir, 'names.ts'), "export const queueName = 'renamed-queue';\n");
    const third = await synthesize(options);
    const [stack] = await readCloudAssembly(third.outDir);

    // Assert
    expect([first.cached, second.cached, third.cached]).toStrictEqual([false, true, false]);
    expect(second.inputHash).toBe(first.inputHash);
    expect(third.inputHash).not.toBe(first.inputHash);
    expect(stack?.template.Resources?.['Q']?.Properties?.['QueueName']).toBe('renamed-queue');
    expect(JSON.parse(String(stack?.template.Outputs?.['Context']?.Value))).toStrictEqual({
      'aws:cdk:bundling-stacks': [],
      'flow:local': true,
    });
    expect(stack?.template.Outputs?.['Validation']?.Value).toBe('false');
  }, 120_000);

  it('reuses the assembly when a file is touched but its content is the same', async () => {
    // Arrange
    const options = {
      repoRoot,
      appEntry: relative(repoRoot, join(appDir, 'app.ts')),
      outDir: join(work, 'cdk.out'),
    };
    await synthesize(options);

    // Act
    writeFileSync(join(appDir, 'names.ts'), readFileSync(join(appDir, 'names.ts')));
    const again = await synthesize(options);

    // Assert
    expect(again.cached).toBe(true);
  }, 120_000);

  it('fails when the app entry does not exist', async () => {
    // Act / Assert
    await expect(
      synthesize({ repoRoot, appEntry: 'infra/src/no-such-app.ts', outDir: join(work, 'cdk.out') }),
    ).rejects.toThrow(Error);
    await expect(
      synthesize({
        repoRoot,
        appEntry: 'tools/local-cloud/test/fixtures/apps/broken-app.ts',
        outDir: join(work, 'x'),
      }),
    ).rejects.toBeInstanceOf(SynthError);
  }, 120_000);

  it('fails with the app’s error and its TypeScript location when the app throws', async () => {
    // Act
    const synth = synthesize({
      repoRoot,
      appEntry: 'tools/local-cloud/test/fixtures/apps/broken-app.ts',
      outDir: join(work, 'cdk.out'),
    });

    // Assert
    await expect(synth).rejects.toThrow(/this app does not synthesize/);
    await expect(synth).rejects.toThrow(/fixtures\/apps\/broken-app\.ts:\d+/);
  }, 120_000);
});
