import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type * as esbuild from 'esbuild';

/** Options of {@link synthesize}. */
export interface SynthOptions {
  /** Repository root (where `package.json`, `node_modules` and the app live). */
  repoRoot: string;
  /** The CDK app entry, relative to `repoRoot` (e.g. `infra/src/app.ts`). */
  appEntry: string;
  /** Where the cloud assembly goes (e.g. `<dataDir>/cdk.out`). */
  outDir: string;
  /** Extra CDK context (merged over {@link LOCAL_SYNTH_CONTEXT}). */
  context?: Record<string, unknown>;
  /** Synthesize even when the cache says the inputs did not change. */
  force?: boolean;
  /** Where the synth's own output goes (defaults to nowhere; errors include it). */
  log?: (line: string) => void;
  /**
   * Run the app in this process instead of a child (saves starting one more node). Only for a process that exists
   * for this synth (the synth runner): the app's modules and `process.env` changes stay in it.
   */
  inThisProcess?: boolean;
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

/**
 * The context of every local synth: asset bundling skipped (the local cloud bundles handlers itself) and
 * `flow:local`, on which the app leaves out its deployment-only checks (cdk-nag).
 */
export const LOCAL_SYNTH_CONTEXT: Readonly<Record<string, unknown>> = {
  'aws:cdk:bundling-stacks': [],
  'flow:local': true,
};

/**
 * The environment of the app's process: CDK's own template validation (a WebAssembly CloudFormation linter that
 * takes most of a synth) is off, since the templates never reach CloudFormation, and so is the version check.
 */
const SYNTH_ENV = { CDK_VALIDATION: 'false', CDK_DISABLE_VERSION_CHECK: '1' } as const;

/** The app the local cloud loads unless told otherwise (repository-relative). */
export const DEFAULT_APP_ENTRY = 'infra/src/app.ts';

const HASH_FILE = '.input-hash';
const FINGERPRINT_FILE = '.input-files.json';

/** esbuild, loaded when a synth or an input hash needs it (a cached warm start does not). */
const loadEsbuild = (): Promise<typeof esbuild> => import('esbuild');

/**
 * Workspace sources that locate files beside themselves (`__dirname`, `__filename`) keep their own location in the
 * bundle (e.g. the app's repository root).
 */
const keepSourceLocation: esbuild.Plugin = {
  name: 'keep-source-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      return {
        contents: source
          .replace(/\b__dirname\b/g, JSON.stringify(dirname(args.path)))
          .replace(/\b__filename\b/g, JSON.stringify(args.path)),
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
      };
    });
  },
};

/**
 * The app as one CommonJS file (its npm packages stay external) and the local files it is made of, from a single
 * esbuild call: the files are what a synth depends on besides the installed packages.
 */
const bundleApp = async (
  repoRoot: string,
  appEntry: string,
): Promise<{ code: Uint8Array; inputs: string[] }> => {
  const { build } = await loadEsbuild();
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await build({
      entryPoints: [appEntry],
      absWorkingDir: repoRoot,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0] ?? '20'}`,
      format: 'cjs',
      packages: 'external',
      sourcemap: 'inline',
      keepNames: true,
      logLevel: 'silent',
      outfile: 'app.cjs',
      plugins: [keepSourceLocation],
    });
  } catch (error) {
    throw new SynthError(
      `CDK app ${appEntry} could not be bundled: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const output = result.outputFiles[0];
  if (output === undefined) throw new SynthError(`esbuild produced no bundle for ${appEntry}`);
  const inputs = Object.keys(result.metafile.inputs)
    .map((file) => (isAbsolute(file) ? file : join(repoRoot, file)))
    .sort();
  return { code: output.contents, inputs };
};

/** What the last synth into a directory depended on: the inputs hash and each input file's size and mtime. */
interface InputFingerprints {
  key: string;
  hash: string;
  files: Record<string, string>;
}

const fingerprint = (path: string): string => {
  try {
    const info = statSync(path);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
};

const fingerprints = (files: readonly string[]): Record<string, string> =>
  Object.fromEntries(files.map((file) => [file, fingerprint(file)] as const));

/**
 * The previous synth's hash when no input file changed size or mtime since (a warm start without esbuild).
 * Synchronous and cheap (a few dozen `stat`s), so a caller can decide before loading anything else.
 */
const unchangedHash = (outDir: string, key: string): string | undefined => {
  try {
    const previous = JSON.parse(readFileSync(join(outDir, FINGERPRINT_FILE), 'utf8')) as InputFingerprints;
    if (previous.key !== key) return undefined;
    const current = fingerprints(Object.keys(previous.files));
    return Object.entries(previous.files).every(([file, print]) => current[file] === print)
      ? previous.hash
      : undefined;
  } catch {
    return undefined;
  }
};

/** Hash of everything the assembly depends on: the key (entry, context), the app's files and the lockfile. */
const hashInputs = async (
  key: string,
  files: readonly string[],
): Promise<{ hash: string; prints: Record<string, string> }> => {
  // Taken before reading the contents: an edit during the synth then shows as a change next time.
  const prints = fingerprints(files);
  const contents = await Promise.all(files.map((file) => readFile(file).catch(() => undefined)));
  const hash = createHash('sha256').update(key);
  files.forEach((file, i) => {
    hash.update(`\0${file}\0`);
    const content = contents[i];
    if (content !== undefined) hash.update(content);
  });
  return { hash: hash.digest('hex'), prints };
};

const readHashFile = (outDir: string): string | undefined => {
  try {
    return readFileSync(join(outDir, HASH_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** The cache key of a synth: the entry and the context. */
const synthKey = (options: SynthOptions): { key: string; context: Record<string, unknown> } => {
  const context = { ...LOCAL_SYNTH_CONTEXT, ...options.context };
  return { key: JSON.stringify({ appEntry: options.appEntry, context }), context };
};

/**
 * Whether the assembly in `options.outDir` is up to date without hashing anything: no input of the previous synth
 * changed size or mtime. Synchronous (a few dozen `stat`s).
 */
export const isSynthFresh = (options: SynthOptions): boolean => {
  if (options.force === true) return false;
  const outDir = resolve(options.outDir);
  if (!existsSync(join(outDir, 'manifest.json'))) return false;
  const quick = unchangedHash(outDir, synthKey(options).key);
  return quick !== undefined && readHashFile(outDir) === quick;
};

/**
 * The `node_modules` folders the app's packages resolve from where the app lives: from the entry's folder up to the
 * repository root (the bundle itself is in the data folder, which may be anywhere).
 */
const appNodeModules = (options: SynthOptions): string[] => {
  const root = resolve(options.repoRoot);
  const folders: string[] = [];
  for (let dir = dirname(resolve(root, options.appEntry)); ; dir = dirname(dir)) {
    folders.push(join(dir, 'node_modules'));
    if (dir === root || dirname(dir) === dir) break;
  }
  return folders;
};

/**
 * Runs the bundled app in a child process (plain node: no TypeScript loader) with the local synth's context.
 * Source maps are off (node would look for one in every aws-cdk-lib module: ≈ 10% of the synth); a failed run is
 * repeated once with them, so the error points at the app's TypeScript.
 */
const runApp = async (
  appFile: string,
  options: SynthOptions,
  outDir: string,
  context: Record<string, unknown>,
): Promise<void> => {
  const failure =
    options.inThisProcess === true
      ? runAppHere(appFile, options, outDir, context)
      : await runAppOnce(appFile, options, outDir, context, false);
  if (failure === undefined) return;
  // Again in a child with source maps (also after a failed run here: the app's modules are half loaded).
  const mapped = await runAppOnce(appFile, options, outDir, context, true);
  throw new SynthError(mapped ?? failure);
};

/** The app run in this process ({@link SynthOptions.inThisProcess}): `undefined` when it wrote an assembly. */
const runAppHere = (
  appFile: string,
  options: SynthOptions,
  outDir: string,
  context: Record<string, unknown>,
): string | undefined => {
  Object.assign(process.env, SYNTH_ENV, {
    CDK_OUTDIR: outDir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    NODE_PATH: [...appNodeModules(options), process.env['NODE_PATH']]
      .filter((p): p is string => p !== undefined && p !== '')
      .join(delimiter),
  });
  // NODE_PATH is read when node starts; Module._initPaths re-reads it (internal to node, unchanged since v0.x).
  (Module as unknown as { _initPaths: () => void })._initPaths();
  try {
    createRequire(appFile)(appFile);
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    for (const line of text.split('\n')) options.log?.(line);
    return `CDK synth of ${options.appEntry} failed: ${text}`;
  }
  return existsSync(join(outDir, 'manifest.json'))
    ? undefined
    : `CDK synth of ${options.appEntry} wrote no cloud assembly`;
};

/** One run of the app: `undefined` when it wrote an assembly, else the failure message. */
const runAppOnce = async (
  appFile: string,
  options: SynthOptions,
  outDir: string,
  context: Record<string, unknown>,
  sourceMaps: boolean,
): Promise<string | undefined> => {
  const output: string[] = [];
  const nodePath = [...appNodeModules(options), process.env['NODE_PATH']]
    .filter((p): p is string => p !== undefined && p !== '')
    .join(delimiter);
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), appFile], {
      cwd: options.repoRoot,
      env: {
        ...process.env,
        ...SYNTH_ENV,
        NODE_PATH: nodePath,
        CDK_OUTDIR: outDir,
        CDK_CONTEXT_JSON: JSON.stringify(context),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        output.push(line);
        if (!sourceMaps) options.log?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', fail);
    child.on('close', done);
  });
  if (code === 0 && existsSync(join(outDir, 'manifest.json'))) return undefined;
  return `CDK synth of ${options.appEntry} failed (exit ${String(code)}):\n${output.slice(-40).join('\n')}`;
};

/**
 * Synthesizes the CDK app into `outDir` for the local cloud: the app is bundled with esbuild (one call gives the
 * runnable bundle and the list of its local files) and run with plain node, with asset bundling, cdk-nag and CDK's
 * template validation off ({@link LOCAL_SYNTH_CONTEXT}). Skips the run when the inputs are unchanged since the previous
 * synth into the same directory: no input file changed size or mtime (no esbuild at all), or the hash of the app's
 * local sources, the lockfile and the context is the same.
 */
export const synthesize = async (options: SynthOptions): Promise<SynthResult> => {
  const started = Date.now();
  const outDir = resolve(options.outDir);
  const { key, context } = synthKey(options);
  const assemblyExists = existsSync(join(outDir, 'manifest.json'));
  if (!options.force && assemblyExists) {
    const quick = unchangedHash(outDir, key);
    if (quick !== undefined && readHashFile(outDir) === quick) {
      return { outDir, cached: true, inputHash: quick, durationMs: Date.now() - started };
    }
  }
  const app = await bundleApp(options.repoRoot, options.appEntry);
  const { hash: inputHash, prints } = await hashInputs(key, [
    ...app.inputs,
    join(options.repoRoot, 'package-lock.json'),
  ]);
  const record = (): Promise<void> =>
    writeFile(join(outDir, FINGERPRINT_FILE), JSON.stringify({ key, hash: inputHash, files: prints }));
  if (!options.force && assemblyExists && readHashFile(outDir) === inputHash) {
    await record();
    return { outDir, cached: true, inputHash, durationMs: Date.now() - started };
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  // Beside the assembly (not in it: the app writes the whole directory). Rewritten by every synth.
  const appFile = `${outDir}.app.cjs`;
  await writeFile(appFile, app.code);
  await runApp(appFile, options, outDir, context);
  await writeFile(join(outDir, HASH_FILE), inputHash);
  await record();
  return { outDir, cached: false, inputHash, durationMs: Date.now() - started };
};
