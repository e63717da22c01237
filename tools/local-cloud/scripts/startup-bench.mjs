// Startup to ready of the local cloud, as `npm start` runs it: spawns the built entry (`main.cjs serve --port 0`) on an
// empty data folder (cold: CDK synth, tables, bundles...) and then restarts it on the same folder (warm), and times
// spawn → the `Local cloud ready` line, as the bench does. Prints a Markdown table; `--timing` also prints each run's
// phase log (`serve --timing`).
//
//   node tools/local-cloud/scripts/startup-bench.mjs [--cold 1] [--warm 3] [--entry dist/tools/local-cloud/main.cjs] [--timing]
//
// Build first (`npx nx run local-cloud:build`). Cold runs each get a fresh data folder; warm runs reuse the last one.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    cold: { type: 'string', default: '1' },
    warm: { type: 'string', default: '3' },
    entry: { type: 'string', default: 'dist/tools/local-cloud/main.cjs' },
    timing: { type: 'boolean', default: false },
  },
});
const entry = path.resolve(root, values.entry);

/** Spawns the entry, resolves with ms to the ready line (and the phase log), then stops it with SIGTERM. */
const startOnce = (dataDir) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [entry, 'serve', '--port', '0', '--data-dir', dataDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...(values.timing ? { LOCAL_CLOUD_TIMING: '1' } : {}) },
    });
    let out = '';
    let err = '';
    let readyMs;
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (readyMs === undefined && /Local cloud ready at http:\/\/127\.0\.0\.1:\d+/.test(out)) {
        readyMs = performance.now() - started;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code, signal) => {
      if (readyMs !== undefined)
        resolve({ readyMs, phases: err.split('\n').filter((l) => l.startsWith('timing:')) });
      else reject(new Error(`exited (${code ?? signal}) before ready:\n${out}\n${err}`));
    });
  });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
const cold = [];
const warm = [];
let dataDir;
for (let i = 0; i < Number(values.cold); i += 1) {
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'local-cloud-startup-'));
  const run = await startOnce(dataDir);
  cold.push(run.readyMs);
  if (values.timing) console.error(`cold run ${i + 1}:\n${run.phases.join('\n')}`);
}
dataDir ??= mkdtempSync(path.join(tmpdir(), 'local-cloud-startup-'));
for (let i = 0; i < Number(values.warm); i += 1) {
  const run = await startOnce(dataDir);
  warm.push(run.readyMs);
  if (values.timing) console.error(`warm run ${i + 1}:\n${run.phases.join('\n')}`);
}
rmSync(dataDir, { recursive: true, force: true });

console.log(
  `Startup to ready (${path.relative(root, entry)}; load average before ${loadBefore}, after ${load()})\n`,
);
console.log('| Start | Runs (s) | Median |');
console.log('| ----- | -------- | ------ |');
if (cold.length > 0)
  console.log(
    `| cold (empty data folder) | ${cold.map((ms) => (ms / 1000).toFixed(2)).join(', ')} | ${seconds(median(cold))} |`,
  );
if (warm.length > 0)
  console.log(
    `| warm (restart, same folder) | ${warm.map((ms) => (ms / 1000).toFixed(2)).join(', ')} | ${seconds(median(warm))} |`,
  );
