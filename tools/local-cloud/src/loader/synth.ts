import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type * as esbuild from 'esbuild';

/** esbuild, loaded when a synth or an input hash needs it (a cached warm start does not). */
const loadEsbuild = (): Promise<typeof esbuild> => import('esbuild');

/** Options of {@link synthesize}. */
export interface SynthOptions {
  /** Repository root (where `package.json` and the app live). */
  repoRoot: string;
  /** The CDK app entry, relative to `repoRoot` (e.g. `infra/src/app.ts`). */
  appEntry: string;
  /** Where the cloud assembly goes (e.g. `<dataDir>/cdk.out`). */
  outDir: string;
  /** Extra CDK context (merged over the no-bundling context). */
  context?: Record<string, unknown>;
  /** Synthesize even when the cache says the inputs did not change. */
  force?: boolean;
  /** Where the synth's own output goes (defaults to nowhere; errors include it). */
  log?: (line: string) => void;
}

/** What {@link synthesize} did. */
export interface SynthResult {
  outDir: string;
  /** True when the cached assembly was reused (inputs unchanged). */
  cached: boolean;
  /** Hash of the inputs (app sources, lockfile, context). */
  inputHash: string;
  durationMs: number;
}

/** The synth failed: the app threw, or the tool could not run. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}

const HASH_FILE = '.input-hash';

/** The tsconfig.json nearest to the app entry (its path aliases are how the app finds the workspace libraries). */
const nearestTsconfig = (repoRoot: string, appEntry: string): string | undefined => {
  const root = resolve(repoRoot);
  let dir = dirname(resolve(root, appEntry));
  for (;;) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
};

/**
 * The local source files the app imports (from esbuild's metafile, packages external): what a synth depends on
 * besides the installed packages.
 */
const appInputs = async (repoRoot: string, appEntry: string): Promise<string[]> => {
  const { build } = await loadEsbuild();
  const result = await build({
    entryPoints: [appEntry],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
    outfile: 'synth-probe.js',
  });
  return Object.keys(result.metafile.inputs).sort();
};

/** Hash of everything the synthesized assembly depends on. */
export const synthInputHash = async (
  options: SynthOptions,
  context: Record<string, unknown>,
): Promise<string> => (await hashInputs(options, context)).hash;

const hashInputs = async (
  options: SynthOptions,
  context: Record<string, unknown>,
): Promise<{ hash: string; prints: Record<string, string> }> => {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ appEntry: options.appEntry, context }));
  const files = [...(await appInputs(options.repoRoot, options.appEntry)), 'package-lock.json'].map((file) =>
    isAbsolute(file) ? file : join(options.repoRoot, file),
  );
  // Taken before reading the contents: an edit during the synth then shows as a change next time.
  const prints = await fingerprints(files);
  for (const path of files) {
    hash.update(`\0${path}\0`);
    if (existsSync(path)) hash.update(await readFile(path));
  }
  return { hash: hash.digest('hex'), prints };
};

/** What the last synth into a directory depended on: the inputs hash and each input file's size and mtime. */
interface InputFingerprints {
  key: string;
  hash: string;
  files: Record<string, string>;
}

const FINGERPRINT_FILE = '.input-files.json';

const fingerprint = async (path: string): Promise<string> => {
  try {
    const info = await stat(path);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
};

const fingerprints = async (files: readonly string[]): Promise<Record<string, string>> =>
  Object.fromEntries(await Promise.all(files.map(async (file) => [file, await fingerprint(file)] as const)));

/** The previous synth's hash when no input file changed size or mtime since (a warm start without esbuild). */
const unchangedHash = async (outDir: string, key: string): Promise<string | undefined> => {
  try {
    const previous = JSON.parse(await readFile(join(outDir, FINGERPRINT_FILE), 'utf8')) as InputFingerprints;
    if (previous.key !== key) return undefined;
    const current = await fingerprints(Object.keys(previous.files));
    return Object.entries(previous.files).every(([file, print]) => current[file] === print)
      ? previous.hash
      : undefined;
  } catch {
    return undefined;
  }
};

const recordFingerprints = async (
  outDir: string,
  key: string,
  hash: string,
  files: Record<string, string>,
): Promise<void> => {
  const record: InputFingerprints = { key, hash, files };
  await writeFile(join(outDir, FINGERPRINT_FILE), JSON.stringify(record));
};

/**
 * Synthesizes the CDK app into `outDir` with asset bundling skipped (`aws:cdk:bundling-stacks: []`), by running
 * the app entry with tsx (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`). Skips the run when the inputs are unchanged since the
 * previous synth into the same directory: no input file changed size or mtime (no hashing at all), or the hash of
 * the app's local sources, the lockfile and the context is the same.
 */
export const synthesize = async (options: SynthOptions): Promise<SynthResult> => {
  const started = Date.now();
  const context = { 'aws:cdk:bundling-stacks': [], ...options.context };
  const outDir = resolve(options.outDir);
  const key = JSON.stringify({ appEntry: options.appEntry, context });
  const hashFile = join(outDir, HASH_FILE);
  const assemblyExists = existsSync(hashFile) && existsSync(join(outDir, 'manifest.json'));
  if (!options.force && assemblyExists) {
    const quick = await unchangedHash(outDir, key);
    if (quick !== undefined && (await readFile(hashFile, 'utf8')).trim() === quick) {
      return { outDir, cached: true, inputHash: quick, durationMs: Date.now() - started };
    }
  }
  const { hash: inputHash, prints: files } = await hashInputs(options, context);
  if (!options.force && assemblyExists && (await readFile(hashFile, 'utf8')).trim() === inputHash) {
    await recordFingerprints(outDir, key, inputHash, files);
    return { outDir, cached: true, inputHash, durationMs: Date.now() - started };
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const requireFromRoot = createRequire(join(options.repoRoot, 'package.json'));
  const tsxCli = requireFromRoot.resolve('tsx/cli');
  const tsconfig = nearestTsconfig(options.repoRoot, options.appEntry);
  const output: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(
      process.execPath,
      [tsxCli, ...(tsconfig === undefined ? [] : ['--tsconfig', tsconfig]), options.appEntry],
      {
        cwd: options.repoRoot,
        env: {
          ...process.env,
          CDK_OUTDIR: outDir,
          CDK_CONTEXT_JSON: JSON.stringify(context),
          CDK_DISABLE_VERSION_CHECK: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        output.push(line);
        options.log?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0 || !existsSync(join(outDir, 'manifest.json'))) {
    throw new SynthError(
      `CDK synth of ${options.appEntry} failed (exit ${String(code)}):\n${output.slice(-40).join('\n')}`,
    );
  }
  await writeFile(hashFile, inputHash);
  await recordFingerprints(outDir, key, inputHash, files);
  return { outDir, cached: false, inputHash, durationMs: Date.now() - started };
};
