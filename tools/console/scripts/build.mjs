// Bundles the console (src/main.ts + styles) with esbuild into dist/tools/console/{index.html, app.js, app.css,
// favicon.svg, elk-worker.js}: every dependency is bundled (preact, htm, elkjs's API), nothing is loaded from the
// network. ELK's layout engine itself (elk-worker.min.js, ~1.6 MB) is copied as is and runs in a Web Worker.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const flag = process.argv.indexOf('--outdir');
const outdir = path.resolve(root, flag > 0 ? process.argv[flag + 1] : 'dist/tools/console');
const started = Date.now();
await mkdir(outdir, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: { app: 'tools/console/src/main.ts' },
  outdir,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: true,
  tsconfig: 'tools/console/tsconfig.json',
  logLevel: 'warning',
});
await build({
  absWorkingDir: root,
  entryPoints: { app: 'tools/console/src/styles.css' },
  outdir,
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
for (const file of ['index.html', 'favicon.svg']) {
  await copyFile(path.join(root, 'tools/console/src', file), path.join(outdir, file));
}
await copyFile(
  path.join(root, 'node_modules/elkjs/lib/elk-worker.min.js'),
  path.join(outdir, 'elk-worker.js'),
);
if (!process.argv.includes('--quiet'))
  console.log(`built ${path.relative(root, outdir)} in ${Date.now() - started} ms`);
