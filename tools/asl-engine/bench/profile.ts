/**
 * Profiling driver (not part of the report): runs one workload of the benchmark on our engine, e.g.
 * `node --cpu-prof --import tsx tools/asl-engine/bench/profile.ts tiny FileStore 1 5000`.
 * With `PROFILE_EXPORT=1` it only exposes `globalThis.aslMeasure` (for A/B runs of two builds in one process).
 */
import './polyfill';

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { Engine, FileStore, MemoryStore } from '../src/index';
import type { ExecutionStore, JsonValue } from '../src/index';
import { INPUT, TINY, passChain } from './definitions';

/** Runs `total` executions of a workload (after a warm-up) and returns executions per second. */
async function measure(workload: string, kind: string, conc: number, total: number): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asl-prof-'));
  const store: ExecutionStore = kind === 'FileStore' ? await FileStore.open(dir) : new MemoryStore();
  const engine = new Engine({
    store,
    integrations: { resolve: () => async (): Promise<JsonValue> => ({ ok: true }) },
  });
  await engine.start();
  const def = workload === 'tiny' ? TINY : passChain(200);
  const { stateMachineArn } = await engine.createStateMachine({ name: 'p', definition: JSON.stringify(def) });
  const input = JSON.stringify(INPUT);
  const pool = async (n: number, c: number): Promise<number> => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (next < n) {
          next++;
          const { executionArn } = await engine.startExecution({ stateMachineArn, input });
          const d = await engine.waitForExecution(executionArn);
          if (d.status !== 'SUCCEEDED') throw new Error(d.status);
        }
      }),
    );
    return (performance.now() - t0) / 1000;
  };
  await pool(Math.min(total, 200), 1);
  const s = await pool(total, conc);
  await engine.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return total / s;
}

async function main(): Promise<void> {
  const [workload = 'tiny', kind = 'FileStore', conc = '1', total = '3000'] = process.argv.slice(2);
  const cpu0 = process.cpuUsage();
  const rate = await measure(workload, kind, Number(conc), Number(total));
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${workload} ${kind} c=${conc}: ${rate.toFixed(0)} exec/s, CPU ${((cpu.user + cpu.system) / Number(total)).toFixed(1)} µs/exec\n`,
  );
}

if (process.env['PROFILE_EXPORT'] === '1') (globalThis as Record<string, unknown>)['aslMeasure'] = measure;
else void main();
