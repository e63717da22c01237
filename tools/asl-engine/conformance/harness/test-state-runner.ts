/**
 * Runs a recorded TestState case (`api: TestState`) through the engine's `testState` with the case's local service
 * stand-ins (for a Task tested without a mock), and compares the response with AWS's: status, output, error, cause,
 * nextState and inspectionData, modulo the recording's normalisation.
 */
import { TaskFailure, VirtualClock, testState } from '../../src/index';
import type { Integration, TaskInvocation, TestStateInput, TestStateOutput } from '../../src/index';
import type { ConformanceCase, Json } from './cases';
import { Comparator } from './compare';
import type { CaseResult } from './runner';
import { LocalServices, type ServiceError } from './services';

/** What the recorded test sent besides definition and input (the corpus keeps it in `test_state_args`). */
export interface TestStateArgs {
  readonly inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE';
  readonly stateName?: string;
  readonly variables?: string;
  readonly context?: string;
  readonly revealSecrets?: boolean;
  readonly mock?: TestStateInput['mock'];
  readonly stateConfiguration?: TestStateInput['stateConfiguration'];
}

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/snf_role`;
const START_EPOCH_MS = Date.UTC(2026, 10, 24, 0, 0, 0);

/**
 * The recorded tests sent a roleArn in these test files, except in the two tests named here (the request is not in
 * the corpus; the recording shows it: `Execution.RoleArn` is null in the Context object).
 */
const ROLE_ARN_SENT = /test_state_configuration\.py|test_test_state_scenarios\.py/;
const ROLE_ARN_NOT_SENT = /test_localstack_blogpost_scenario|test_state_with_variables/;

function isServiceError(e: unknown): e is ServiceError {
  return typeof e === 'object' && e !== null && 'error' in e && 'cause' in e && !(e instanceof Error);
}

/** The TestState request the recorded test sent. */
export function testStateRequest(c: ConformanceCase & { test_state_args?: TestStateArgs }): TestStateInput {
  const args = c.test_state_args ?? {};
  const sendsRole = ROLE_ARN_SENT.test(c.id) && !ROLE_ARN_NOT_SENT.test(c.id);
  return {
    definition: c.definition,
    input: c.input,
    ...(sendsRole ? { roleArn: ROLE_ARN } : {}),
    ...(args.inspectionLevel !== undefined ? { inspectionLevel: args.inspectionLevel } : {}),
    ...(args.stateName !== undefined ? { stateName: args.stateName } : {}),
    ...(args.variables !== undefined ? { variables: args.variables } : {}),
    ...(args.context !== undefined ? { context: args.context } : {}),
    ...(args.revealSecrets !== undefined ? { revealSecrets: args.revealSecrets } : {}),
    ...(args.mock !== undefined ? { mock: args.mock } : {}),
    ...(args.stateConfiguration !== undefined ? { stateConfiguration: args.stateConfiguration } : {}),
  };
}

/**
 * The recording stored JSON text that began with `{` parsed, and array text re-serialised by Python (`[1, 1, 1]`):
 * such array text is compared parsed too.
 */
function normaliseExpected(value: Json): Json {
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      return JSON.parse(value) as Json;
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(normaliseExpected);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normaliseExpected(v);
    return out;
  }
  return value;
}

/** Runs the TestState request of a case. */
export async function runTestState(c: ConformanceCase): Promise<TestStateOutput> {
  const clock = new VirtualClock(START_EPOCH_MS);
  const services = new LocalServices(c, clock, () => {
    throw new Error('TestState cases answer no callbacks');
  });
  const integration: Integration = async (inv: TaskInvocation) => {
    try {
      return (await services.invoke(inv)) as Awaited<ReturnType<Integration>>;
    } catch (e) {
      if (isServiceError(e)) throw new TaskFailure(e.error, e.cause);
      throw e;
    }
  };
  return testState(testStateRequest(c), {
    integrations: { resolve: () => integration },
    clock,
    accountId: ACCOUNT,
    region: REGION,
  });
}

/** Runs a TestState case and compares the response with the recording. */
export async function runTestStateCase(c: ConformanceCase): Promise<CaseResult> {
  const base = { id: c.id, category: c.category };
  let response: TestStateOutput;
  try {
    response = await runTestState(c);
  } catch (e) {
    return {
      ...base,
      pass: false,
      stage: 'crash',
      detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    };
  }
  const cmp = new Comparator(c.transformers);
  const expected = normaliseExpected(c.expected as unknown as Json) as Record<string, Json>;
  const actual = JSON.parse(JSON.stringify(response)) as Record<string, unknown>;
  const order: [string, NonNullable<CaseResult['stage']>][] = [
    ['status', 'status'],
    ['error', 'error'],
    ['cause', 'cause'],
    ['output', 'output'],
    ['nextState', 'output'],
    ['inspectionData', 'output'],
  ];
  for (const [field, stage] of order) {
    const m = cmp.compare(expected[field], actual[field], field);
    if (m) return { ...base, pass: false, stage, mismatch: m };
  }
  const known = new Set(order.map(([f]) => f));
  for (const k of Object.keys(actual)) {
    if (!known.has(k))
      return { ...base, pass: false, stage: 'output', detail: `unexpected response member ${k}` };
  }
  return { ...base, pass: true };
}
