// Bundles the local cloud's entry (src/main.ts) into dist/tools/local-cloud/main.cjs: workspace code (@flow/* path
// aliases) is bundled, npm packages stay external (resolved from node_modules at run time). Used by the `build`
// target (and so by `npm start`) and by the e2e suites' global setup.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const ENTRY_BUNDLE = path.join(root, 'dist/tools/local-cloud/main.cjs');

/**
 * Workspace modules that locate files beside themselves (e.g. the Lambda worker bootstrap) use `__dirname`: in the
 * bundle that would be dist/, so each workspace source gets its own original folder instead.
 */
const keepSourceDirname = {
  name: 'keep-source-dirname',
  setup(b) {
    b.onLoad({ filter: /\/(tools|libs|apps)\/.*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('__dirname')) return undefined;
      return {
        contents: source.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))),
        loader: 'ts',
      };
    });
  },
};

/**
 * libs/contracts is declarations only (names, zod schemas): marking its modules free of side effects lets esbuild
 * drop the ones the local cloud does not use, and with them zod (loading zod and building every schema costs the
 * start several hundred ms).
 */
const PURE_DIRS = [path.join(root, 'libs/contracts/src') + path.sep];
const pureWorkspaceLibs = {
  name: 'pure-workspace-libs',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.pure === true || args.kind === 'entry-point') return undefined;
      const fromPureDir = PURE_DIRS.some((dir) => args.importer.startsWith(dir));
      if (!fromPureDir && !args.path.startsWith('@flow/contracts')) return undefined;
      const result = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { pure: true },
      });
      if (result.errors.length > 0 || !PURE_DIRS.some((dir) => result.path.startsWith(dir))) return result;
      return { ...result, sideEffects: false };
    });
  },
};

/**
 * `serve` is its own bundle (serve.cjs, loaded by main.cjs on `serve`): code reached through a dynamic import is
 * wrapped in lazy initialisers that esbuild cannot tree-shake, so main.cjs keeps the other commands lazy while the
 * server's own bundle stays flat (and leaves out what it does not use, e.g. zod with the unused contracts).
 */
const serveBundle = {
  name: 'serve-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\/serve$/ }, (args) =>
      args.importer.endsWith(path.join('tools', 'local-cloud', 'src', 'main.ts'))
        ? { path: './serve.cjs', external: true }
        : undefined,
    );
  },
};

/** Builds the bundle into `outdir` (repository-relative: npm packages resolve from the repository's node_modules). */
export const buildLocalCloud = (outdir = 'dist/tools/local-cloud', withBench = true) =>
  build({
    absWorkingDir: root,
    entryPoints: {
      main: 'tools/local-cloud/src/main.ts',
      serve: 'tools/local-cloud/src/cli/serve.ts',
      'synth-runner': 'tools/local-cloud/src/loader/synth-runner.ts',
      ...(withBench ? { bench: 'tools/local-cloud/test/bench/local-cloud.bench.ts' } : {}),
    },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    // import() becomes require(): a dynamic import of CommonJS (serve.cjs, esbuild, jose) would go through Node's ESM
    // loader, which first scans the whole file for its export names (≈ 100 ms for serve.cjs alone).
    supported: { 'dynamic-import': false },
    tsconfig: 'tsconfig.base.json',
    sourcemap: true,
    keepNames: true,
    logLevel: 'warning',
    plugins: [serveBundle, pureWorkspaceLibs, keepSourceDirname],
  });

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const flag = process.argv.indexOf('--outdir');
  const outdir = flag > 0 ? process.argv[flag + 1] : undefined;
  await buildLocalCloud(outdir, outdir === undefined);
  if (!process.argv.includes('--quiet')) {
    console.log(
      `built ${path.join(outdir ?? 'dist/tools/local-cloud', 'main.cjs')} in ${Date.now() - started} ms`,
    );
  }
}
