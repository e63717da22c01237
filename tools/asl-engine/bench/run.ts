/**
 * ASL engine benchmark (`nx run asl-engine:bench`): on the same definitions, machine and process,
 * - transitions per second of this engine (MemoryStore and FileStore) and of aws-local-stepfunctions;
 * - callback resume latency: SendTaskSuccess → the next state entered (p50/p99);
 * - memory per waiting execution (10,000 executions waiting on a task token).
 * Prints a Markdown report; with `--write` also writes docs/benchmarks/asl-engine.md.
 */
import './polyfill';

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { StateMachine } from 'aws-local-stepfunctions';

import { Engine, FileStore, MemoryStore } from '../src/index';
import type { ExecutionStore, HistoryEvent, Integration, IntegrationRegistry, JsonValue } from '../src/index';
import { CALLBACK, INPUT, TINY, TINY_TRANSITIONS, passChain } from './definitions';

const CHAIN_LENGTH = 200;
const TINY_RUNS = Number(process.env['BENCH_TINY_RUNS'] ?? 2000);
const CHAIN_RUNS = Number(process.env['BENCH_CHAIN_RUNS'] ?? 100);
const LATENCY_SAMPLES = Number(process.env['BENCH_LATENCY_SAMPLES'] ?? 1000);
const WAITING = Number(process.env['BENCH_WAITING'] ?? 10_000);
const CONCURRENCY = 50;
/** Each throughput measurement runs this many times; the best run is reported (the machine is shared). */
const REPEATS = Number(process.env['BENCH_REPEATS'] ?? 5);

interface Row {
  workload: string;
  engine: string;
  mode: string;
  executions: number;
  seconds: number;
  execPerSec: number;
  transitionsPerSec: number;
}

const taskResult = async (): Promise<JsonValue> => ({ ok: true });

async function runPool(
  total: number,
  concurrency: number,
  one: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      await one(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return (performance.now() - started) / 1000;
}

// ---------------------------------------------------------------- our engine

interface OurEngine {
  engine: Engine;
  close(): Promise<void>;
}

async function ourEngine(
  store: ExecutionStore,
  onHistoryEvent?: (arn: string, e: HistoryEvent) => void,
  integration?: Integration,
): Promise<OurEngine> {
  const integrations: IntegrationRegistry = { resolve: () => integration ?? taskResult };
  const engine = new Engine({ store, integrations, ...(onHistoryEvent ? { onHistoryEvent } : {}) });
  await engine.start();
  return {
    engine,
    close: async () => {
      await engine.close();
    },
  };
}

async function withStore<T>(
  kind: 'MemoryStore' | 'FileStore',
  fn: (store: ExecutionStore) => Promise<T>,
): Promise<T> {
  if (kind === 'MemoryStore') return fn(new MemoryStore());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asl-bench-'));
  const store = await FileStore.open(dir);
  try {
    return await fn(store);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One engine under test on one workload: `one(i)` runs one execution to its end. */
interface Contestant {
  one: (i: number) => Promise<void>;
  close(): Promise<void>;
}

/** Makes a fresh contestant (an engine with an empty store, or the baseline). */
interface Entrant {
  engine: string;
  start(): Promise<Contestant>;
}

function ours(kind: 'MemoryStore' | 'FileStore', definition: object, workload: string): Entrant {
  return {
    engine: `@flow/asl-engine (${kind})`,
    start: async () => {
      const dir = kind === 'FileStore' ? mkdtempSync(path.join(os.tmpdir(), 'asl-bench-')) : undefined;
      const store: ExecutionStore = dir === undefined ? new MemoryStore() : await FileStore.open(dir);
      const { engine, close } = await ourEngine(store);
      const { stateMachineArn } = await engine.createStateMachine({
        name: `bench-${workload.replace(/\W+/g, '-')}`,
        definition: JSON.stringify(definition),
      });
      const input = JSON.stringify(INPUT);
      return {
        one: async () => {
          const { executionArn } = await engine.startExecution({ stateMachineArn, input });
          const done = await engine.waitForExecution(executionArn);
          if (done.status !== 'SUCCEEDED')
            throw new Error(`${workload}: execution ${done.status} ${done.error ?? ''} ${done.cause ?? ''}`);
        },
        close: async () => {
          await close();
          await store.close();
          if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

function baseline(definition: object): Entrant {
  const handlers = { Validate: taskResult, Risk: taskResult, Stock: taskResult, Finalize: taskResult };
  return {
    engine: 'aws-local-stepfunctions 3.0.0',
    start: async () => {
      const sm = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0], {
        validationOptions: { checkPaths: false, checkArn: false },
      });
      return {
        one: async () => {
          const { result } = sm.run(INPUT, { overrides: { taskResourceLocalHandlers: handlers } });
          await result;
        },
        close: async () => undefined,
      };
    },
  };
}

/** Seconds to run `runs` executions on a fresh contestant (closed afterwards, so that its memory goes too). */
async function timeFresh(entrant: Entrant, runs: number, concurrency: number): Promise<number> {
  const c = await entrant.start();
  try {
    return await runPool(runs, concurrency, c.one);
  } finally {
    await c.close();
  }
}

/**
 * Runs a workload on every engine: a warm-up each, then {@link REPEATS} rounds in which every engine runs in turn,
 * so that a change of load on the shared machine hits all of them alike; each row is an engine's best round. Every
 * run starts on a fresh engine and store (ours keep every execution and its history, as Step Functions does: a run
 * does not pay for the memory of the runs before it, nor of the other engines).
 */
async function benchWorkload(
  definition: object,
  workload: string,
  transitions: number,
  runs: number,
): Promise<Row[]> {
  const entrants = [
    baseline(definition),
    ours('MemoryStore', definition, workload),
    ours('FileStore', definition, workload),
  ];
  for (const e of entrants) await timeFresh(e, Math.min(200, runs), 1);
  const rows: Row[] = [];
  for (const [mode, concurrency] of [
    ['sequential', 1],
    [`${CONCURRENCY} concurrent`, CONCURRENCY],
  ] as const) {
    const best = entrants.map(() => Infinity);
    for (let r = 0; r < REPEATS; r++) {
      for (const [i, e] of entrants.entries())
        best[i] = Math.min(best[i] ?? Infinity, await timeFresh(e, runs, concurrency));
    }
    for (const [i, e] of entrants.entries()) {
      const seconds = best[i] ?? Infinity;
      rows.push({
        workload,
        engine: e.engine,
        mode,
        executions: runs,
        seconds,
        execPerSec: runs / seconds,
        transitionsPerSec: (runs * transitions) / seconds,
      });
    }
  }
  // Rows grouped by engine, as the report has always listed them.
  return entrants.flatMap((e) => rows.filter((row) => row.engine === e.engine));
}

// ---------------------------------------------------------------- callback latency and waiting memory

function percentile(sorted: readonly number[], p: number): number {
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

interface Latency {
  store: string;
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

async function benchCallbackLatency(kind: 'MemoryStore' | 'FileStore'): Promise<Latency> {
  return withStore(kind, async (store) => {
    const tokens = new Map<string, (token: string) => void>();
    const entered = new Map<string, () => void>();
    const integration: Integration = async (inv) => {
      tokens.get(inv.execution.executionArn)?.(inv.taskToken ?? '');
      return { MessageId: 'm-1', MD5OfMessageBody: '0' };
    };
    const onEvent = (arn: string, e: HistoryEvent): void => {
      if (e.type === 'PassStateEntered') entered.get(arn)?.();
    };
    const { engine, close } = await ourEngine(store, onEvent, integration);
    try {
      const { stateMachineArn } = await engine.createStateMachine({
        name: 'bench-callback',
        definition: JSON.stringify(CALLBACK),
      });
      const samples: number[] = [];
      for (let i = 0; i < LATENCY_SAMPLES + 50; i++) {
        const name = `cb-${i}`;
        const arn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
        const gotToken = new Promise<string>((resolve) => tokens.set(arn, resolve));
        const gotEntered = new Promise<void>((resolve) => entered.set(arn, resolve));
        await engine.startExecution({ stateMachineArn, name, input: '{}' });
        const token = await gotToken;
        const t0 = performance.now();
        await engine.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
        await gotEntered;
        const t1 = performance.now();
        if (i >= 50) samples.push((t1 - t0) * 1000);
        await engine.waitForExecution(arn);
        tokens.delete(arn);
        entered.delete(arn);
      }
      samples.sort((a, b) => a - b);
      return {
        store: kind,
        samples: samples.length,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        max: samples[samples.length - 1] ?? 0,
      };
    } finally {
      await close();
    }
  });
}

interface Memory {
  waiting: number;
  bytesPerExecution: number;
  heapDeltaMiB: number;
  gcAvailable: boolean;
}

async function benchWaitingMemory(): Promise<Memory> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const collect = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  let submitted = 0;
  let allSubmitted: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    allSubmitted = resolve;
  });
  const integration: Integration = async () => {
    submitted++;
    if (submitted === WAITING) allSubmitted();
    return { MessageId: 'm', MD5OfMessageBody: '0' };
  };
  const { engine, close } = await ourEngine(new MemoryStore(), undefined, integration);
  try {
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'bench-waiting',
      definition: JSON.stringify(CALLBACK),
    });
    await collect();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < WAITING; i++)
      await engine.startExecution({
        stateMachineArn,
        name: `w-${i}`,
        input: JSON.stringify({ orderId: `o-${i}` }),
      });
    await ready;
    await collect();
    const after = process.memoryUsage().heapUsed;
    return {
      waiting: WAITING,
      bytesPerExecution: (after - before) / WAITING,
      heapDeltaMiB: (after - before) / 2 ** 20,
      gcAvailable: gc !== undefined,
    };
  } finally {
    await close();
  }
}

// ---------------------------------------------------------------- report

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The load averages (1, 5 and 15 minutes) as text. */
function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

const loadAtStart = loadAverage();

function render(rows: readonly Row[], latency: readonly Latency[], memory: Memory, seconds: number): string {
  const cpus = os.cpus();
  const lines: string[] = [];
  lines.push('# ASL engine benchmark', '');
  lines.push(
    `Command: \`npx nx run asl-engine:bench\` (bundles tools/asl-engine/bench/run.ts with esbuild, as the local cloud's build bundles the engine, then \`node --expose-gc tmp/asl-engine/bench.cjs --write\`), one process, ${fmt(seconds, 1)} s in all. The engine is measured as it runs in the local cloud: bundled JavaScript, like aws-local-stepfunctions' published build (not through tsx, whose on-the-fly transform adds a \`__name()\` call to every function it creates).`,
    '',
  );
  lines.push(
    `Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} cores, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average (1 / 5 / 15 min) at start ${loadAtStart}, at the end ${loadAverage()} (other work was running on this shared machine: treat numbers as indicative, ratios measured in the same run as the comparison).`,
    '',
  );
  lines.push(
    'Definitions (tools/asl-engine/bench/definitions.ts): **tiny** = Task → Choice → Parallel(2 Tasks) → Task with Retry/Catch → Succeed (7 states entered per execution); **chain** = 200 Pass states with a Parameters template each. Task handlers are local async functions returning `{"ok":true}` on both engines; no history is consumed for aws-local-stepfunctions, while our engine records the full AWS history (and, with FileStore, appends it to the durable log).',
    '',
  );
  lines.push(
    '## Throughput',
    '',
    `Best of ${REPEATS} rounds per row, after a 200-execution warm-up; in each round the three engines run the workload in turn, so a change of load on the machine hits all of them alike. Each run starts on a fresh engine and store, which keeps every execution and its history to the end of the run, as Step Functions does.`,
    '',
  );
  lines.push(
    '| workload | engine | mode | executions | seconds | executions/s | transitions/s |',
    '|---|---|---|---:|---:|---:|---:|',
  );
  for (const r of rows)
    lines.push(
      `| ${r.workload} | ${r.engine} | ${r.mode} | ${r.executions} | ${fmt(r.seconds, 2)} | ${fmt(r.execPerSec)} | ${fmt(r.transitionsPerSec)} |`,
    );
  lines.push(
    '',
    '## Callback resume latency',
    '',
    'SendTaskSuccess called → `PassStateEntered` of the next state observed (onHistoryEvent), sequential executions, after 50 warm-up samples.',
    '',
  );
  lines.push('| store | samples | p50 (µs) | p99 (µs) | max (µs) |', '|---|---:|---:|---:|---:|');
  for (const l of latency)
    lines.push(`| ${l.store} | ${l.samples} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(l.max)} |`);
  lines.push(
    '',
    'aws-local-stepfunctions has no `.waitForTaskToken`, so it has no callback latency to compare.',
    '',
  );
  lines.push('## Memory per waiting execution', '');
  lines.push(
    `${fmt(memory.waiting)} executions started on the callback definition (MemoryStore), all waiting on their task token; V8 heap after forced GC (${memory.gcAvailable ? 'global.gc available' : 'WITHOUT --expose-gc: numbers include garbage'}):`,
    '',
  );
  lines.push(
    `- heap growth: **${fmt(memory.heapDeltaMiB, 1)} MiB**, i.e. **${fmt(memory.bytesPerExecution / 1024, 1)} KiB per waiting execution** (history, journal, token, timers).`,
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  const chain = passChain(CHAIN_LENGTH);
  rows.push(...(await benchWorkload(TINY, 'tiny', TINY_TRANSITIONS, TINY_RUNS)));
  rows.push(...(await benchWorkload(chain, 'chain', CHAIN_LENGTH, CHAIN_RUNS)));
  const latency = [await benchCallbackLatency('MemoryStore'), await benchCallbackLatency('FileStore')];
  const memory = await benchWaitingMemory();
  const report = render(rows, latency, memory, (performance.now() - started) / 1000);
  process.stdout.write(`${report}\n`);
  if (process.argv.includes('--write')) {
    // Run from the workspace root (as Nx runs the target): the bundle does not live beside its source.
    const target = path.resolve('docs', 'benchmarks', 'asl-engine.md');
    writeFileSync(target, report);
    process.stdout.write(`written ${target}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
