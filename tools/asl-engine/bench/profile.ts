/**
 * Profiling driver (not part of the report): runs one workload of the benchmark on our engine, e.g.
 * `node --cpu-prof --import tsx tools/asl-engine/bench/profile.ts tiny FileStore 1 5000`.
 */
import './polyfill';

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { Engine, FileStore, MemoryStore } from '../src/index';
import type { ExecutionStore, JsonValue } from '../src/index';
import { INPUT, TINY, passChain } from './definitions';

async function main(): Promise<void> {
  const [workload = 'tiny', kind = 'FileStore', conc = '1', total = '3000'] = process.argv.slice(2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asl-prof-'));
  const store: ExecutionStore = kind === 'FileStore' ? await FileStore.open(dir) : new MemoryStore();
  const engine = new Engine({ store, integrations: { resolve: () => async (): Promise<JsonValue> => ({ ok: true }) } });
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
  const n = Number(total);
  await pool(Math.min(n, 500), 1);
  const cpu0 = process.cpuUsage();
  const s = await pool(n, Number(conc));
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${workload} ${kind} c=${conc}: ${(n / s).toFixed(0)} exec/s, CPU ${((cpu.user + cpu.system) / n).toFixed(1)} µs/exec\n`,
  );
  await engine.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
