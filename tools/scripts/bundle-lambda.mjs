#!/usr/bin/env node
// Bundles one Lambda handler with esbuild, the way it deploys: Node.js 22, CommonJS, source maps, the AWS SDK v3
// left external (the Lambda runtime provides it). Usage:
//   node tools/scripts/bundle-lambda.mjs <entry.ts> <outfile.js>
// e.g. node tools/scripts/bundle-lambda.mjs apps/process-order/src/handler.ts dist/apps/process-order/index.js
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [entry, outfile] = process.argv.slice(2);
if (entry === undefined || outfile === undefined) {
  console.error('usage: node tools/scripts/bundle-lambda.mjs <entry.ts> <outfile.js>');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const result = await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: false,
  minify: true,
  keepNames: true,
  external: ['@aws-sdk/*'],
  tsconfig: path.join(root, 'tsconfig.base.json'),
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`bundled ${entry} -> ${outfile} (${(bytes / 1024).toFixed(0)} KiB with source map)`);
