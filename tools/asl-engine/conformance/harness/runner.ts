/**
 * Runs one recorded case through the engine's public API (a fresh Engine over a MemoryStore, a VirtualClock and
 * the case's local services) and compares the outcome with AWS's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Engine, FileStore, MemoryStore, TaskFailure, VirtualClock } from '../../src/index';
import type {
  ExecutionStore,
  HistoryEvent,
  Integration,
  IntegrationRegistry,
  TaskInvocation,
} from '../../src/index';
import type { ConformanceCase, Json } from './cases';
import { Comparator, type Mismatch } from './compare';
import { withTodaysAwsBehaviour } from './aws-changes';
import { compareHistory } from './history';
import { withMissedNormalisations } from './missed-normalisations';
import { LocalServices, type ServiceError } from './services';
import { runTestStateCase } from './test-state-runner';

/** How a case came out. */
export interface CaseResult {
  readonly id: string;
  readonly category: string;
  readonly pass: boolean;
  /** The stage that failed first: status, output, error, cause, history types or event details. */
  readonly stage?: 'status' | 'output' | 'error' | 'cause' | 'history_types' | 'events' | 'crash';
  readonly mismatch?: Mismatch;
  readonly detail?: string;
}

interface Outcome {
  status: string;
  output?: string;
  error?: string;
  cause?: string;
  events?: HistoryEvent[];
}

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
/** The recordings' epoch is irrelevant to the cases; a fixed start keeps runs deterministic. */
const START_EPOCH_MS = Date.UTC(2026, 10, 24, 0, 0, 0);

function isServiceError(e: unknown): e is ServiceError {
  return typeof e === 'object' && e !== null && 'error' in e && 'cause' in e && !(e instanceof Error);
}

function toPlain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

async function execute(c: ConformanceCase): Promise<Outcome> {
  const clock = new VirtualClock(START_EPOCH_MS);
  const ref: { engine?: Engine } = {};
  const services = new LocalServices(c, clock, () => {
    if (!ref.engine) throw new Error('engine not ready');
    return ref.engine;
  });
  const integration: Integration = async (inv: TaskInvocation) => {
    try {
      return (await services.invoke(inv)) as Awaited<ReturnType<Integration>>;
    } catch (e) {
      if (isServiceError(e)) throw new TaskFailure(e.error, e.cause);
      throw e;
    }
  };
  const integrations: IntegrationRegistry = { resolve: () => integration };
  // CONFORMANCE_STORE=file runs the corpus on the durable FileStore instead of the MemoryStore.
  const dir =
    process.env['CONFORMANCE_STORE'] === 'file'
      ? mkdtempSync(path.join(os.tmpdir(), 'asl-conf-'))
      : undefined;
  const store: ExecutionStore = dir === undefined ? new MemoryStore() : await FileStore.open(dir);
  const engine = new Engine({
    store,
    clock,
    integrations,
    accountId: ACCOUNT,
    region: REGION,
  });
  ref.engine = engine;
  await engine.start();
  try {
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'conformance-machine',
      definition: c.definition,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/snf_role`,
      type: c.sm_type,
    });
    if (c.api === 'StartSyncExecution') {
      const pending = engine.startSyncExecution({ stateMachineArn, input: c.input });
      await clock.runUntilIdle({ maxTimers: 100_000 });
      const out = await pending;
      return {
        status: out.status,
        ...(out.output !== undefined ? { output: out.output } : {}),
        ...(out.error !== undefined ? { error: out.error } : {}),
        ...(out.cause !== undefined ? { cause: out.cause } : {}),
      };
    }
    const { executionArn } = await engine.startExecution({
      stateMachineArn,
      name: 'conformance-run',
      input: c.input,
    });
    await clientActions(c, engine, clock, services, executionArn);
    let described = await engine.describeExecution({ executionArn });
    for (let round = 0; round < 50 && described.status === 'RUNNING'; round++) {
      await clock.runUntilIdle({ maxTimers: 100_000 });
      described = await engine.describeExecution({ executionArn });
    }
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const pageOut = await engine.getExecutionHistory({
        executionArn,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      });
      events.push(...pageOut.events);
      nextToken = pageOut.nextToken;
    } while (nextToken);
    return {
      status: described.status,
      ...(described.output !== undefined ? { output: described.output } : {}),
      ...(described.error !== undefined ? { error: described.error } : {}),
      ...(described.cause !== undefined ? { cause: described.cause } : {}),
      events,
    };
  } finally {
    await engine.close();
    if (dir !== undefined) {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * What the recorded test itself did while the execution ran (beyond the recorded workers):
 * - `test_stop_execution` stopped the execution while it waited;
 * - `..._no_error_field` read the queue and answered SendTaskFailure with the token only.
 */
async function clientActions(
  c: ConformanceCase,
  engine: Engine,
  clock: VirtualClock,
  services: LocalServices,
  executionArn: string,
): Promise<void> {
  if (c.id.includes('::test_stop_execution#')) {
    await clock.advance(1000);
    await engine.stopExecution({ executionArn });
  }
  if (c.id.includes('_no_error_field')) {
    await clock.advance(1000);
    for (const taskToken of services.pendingTokens.splice(0)) await engine.sendTaskFailure({ taskToken });
  }
}

/** Runs a case and compares it with the recording. */
export async function runCase(c: ConformanceCase): Promise<CaseResult> {
  if (c.api === 'TestState') return runTestStateCase(c);
  const base = { id: c.id, category: c.category };
  let outcome: Outcome;
  try {
    outcome = await execute(c);
  } catch (e) {
    return {
      ...base,
      pass: false,
      stage: 'crash',
      detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    };
  }
  const cmp = new Comparator(c.transformers);
  // What AWS answered, with the normalisations its recording missed (missed-normalisations.ts).
  // and, for a recording older than an AWS change, today's behaviour (aws-changes.ts).
  const exp = withTodaysAwsBehaviour(withMissedNormalisations(c)).expected;
  if (outcome.status !== exp.status) {
    return {
      ...base,
      pass: false,
      stage: 'status',
      mismatch: { path: 'status', expected: exp.status, actual: outcome.status },
      detail:
        outcome.error !== undefined ? `${outcome.error}: ${outcome.cause ?? ''}`.slice(0, 400) : undefined,
    } as CaseResult;
  }
  if (exp.status === 'SUCCEEDED' && exp.output !== undefined) {
    const m = cmp.compare(exp.output, outcome.output, 'output');
    if (m) return { ...base, pass: false, stage: 'output', mismatch: m };
  }
  if (exp.status !== 'SUCCEEDED') {
    const m = cmp.compare(exp.error ?? undefined, outcome.error, 'error');
    if (m) return { ...base, pass: false, stage: 'error', mismatch: m };
    const mc = cmp.compare((exp.cause ?? undefined) as Json | undefined, outcome.cause, 'cause');
    if (mc) return { ...base, pass: false, stage: 'cause', mismatch: mc };
  }
  if (c.kind === 'history' && exp.history_types && outcome.events) {
    const me = compareHistory(cmp, (exp.events ?? []) as Json[], toPlain(outcome.events) as unknown[]);
    if (me)
      return {
        ...base,
        pass: false,
        stage: me.path.startsWith('history_types') ? 'history_types' : 'events',
        mismatch: me,
      };
  }
  return { ...base, pass: true };
}
