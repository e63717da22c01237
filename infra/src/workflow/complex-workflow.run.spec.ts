// The synthesized definition is run in the ASL interpreter the local cloud uses: a test-only use of a tool by
// infra (no production code of infra imports it), so the boundary rule is relaxed for this one import.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  Engine,
  MemoryStore,
  TaskFailure,
  VirtualClock,
  type Integration,
  type JsonValue,
} from '@flow/asl-engine';
import {
  DetailTypes,
  OrderFailedDetailSchema,
  ProcessTaskOutputSchema,
  VALIDATION_ERROR_NAME,
} from '@flow/contracts';
import { type SynthesizedApp, synthesizeApp } from '../testing/synth';
import { UNEXPECTED_PROCESS_TASK_OUTPUT_CAUSE } from './complex-workflow';

/**
 * The ComplexWorkflow definition as CDK synthesizes it, run in `@flow/asl-engine` on a virtual clock, with the
 * functions stubbed by answers that satisfy the process-order contract (`ProcessTaskOutputSchema.parse`) and
 * failures shaped as Lambda reports them. These tests check what a run of the real definition does with what
 * process-order answers: the final status, Error and Cause, and the outcome events it puts on the bus.
 */

// A run takes well under a second; the first loads the engine (and its ASL validator) in a busy test worker.
jest.setTimeout(60_000);

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const functionArn = (service: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${service}`;

/** Resolves the readable references of the synthesized definition to local ARNs, names and URLs. */
const localDefinition = (synthesized: SynthesizedApp): string =>
  JSON.stringify(synthesized.workflow.definition)
    .replaceAll('${AWS::Partition}', 'aws')
    .replaceAll('${AWS::Region}', REGION)
    .replaceAll('${AWS::AccountId}', ACCOUNT)
    .replace(/\$\{ssm:\/complex-workflow\/services\/([a-z-]+)\/function-arn\}/g, (_match, service: string) =>
      functionArn(service),
    )
    .replace(
      /\$\{ssm:\/complex-workflow\/messaging\/approvals-queue-url\}/g,
      `http://127.0.0.1:4566/${ACCOUNT}/approvals`,
    );

/** What a function does in a test: returns its answer or throws a Lambda-shaped failure. */
type FunctionStub = (payload: JsonValue, attempt: number) => JsonValue;

/** A Lambda function error as the lambda:invoke integration reports it (error = errorType, cause = AWS's JSON). */
const functionError = (errorType: string, errorMessage: string): TaskFailure =>
  new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage, trace: [] }));

interface Run {
  readonly status: string;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  /** The state the execution ended in (its last StateEntered) */
  readonly lastState: string | undefined;
  /** The `Detail` objects of every event put on the bus, with their detail type. */
  readonly published: { detailType: JsonValue; detail: JsonValue }[];
  /** The payload of each invocation, per function. */
  readonly invocations: Record<string, JsonValue[]>;
}

/** Runs one execution of the definition with `input`, the functions answering as `stubs` say. */
const runWorkflow = async (
  definition: string,
  input: JsonValue,
  stubs: Record<string, FunctionStub>,
): Promise<Run> => {
  const published: { detailType: JsonValue; detail: JsonValue }[] = [];
  const invocations: Record<string, JsonValue[]> = {};
  const lambdaInvoke: Integration = async (invocation) => {
    const { FunctionName, Payload = null } = invocation.parameters as {
      FunctionName: string;
      Payload?: JsonValue;
    };
    const service = FunctionName.split(':').pop() ?? '';
    const calls = (invocations[service] ??= []);
    calls.push(Payload);
    const stub = stubs[service];
    if (stub === undefined)
      throw functionError('UnexpectedInvocation', `${service} must not run in this test`);
    return { ExecutedVersion: '$LATEST', StatusCode: 200, Payload: stub(Payload, calls.length) };
  };
  const putEvents: Integration = async (invocation) => {
    const { Entries } = invocation.parameters as { Entries: { DetailType: JsonValue; Detail: JsonValue }[] };
    published.push(...Entries.map((entry) => ({ detailType: entry.DetailType, detail: entry.Detail })));
    return { Entries: Entries.map((_, index) => ({ EventId: `published-${index}` })), FailedEntryCount: 0 };
  };
  const clock = new VirtualClock(Date.UTC(2026, 10, 24));
  const engine = new Engine({
    store: new MemoryStore(),
    clock,
    integrations: {
      resolve: (invocation) =>
        invocation.service === 'lambda' && invocation.action === 'invoke'
          ? lambdaInvoke
          : invocation.service === 'events' && invocation.action === 'putEvents'
            ? putEvents
            : undefined,
    },
  });
  await engine.start();
  try {
    const { stateMachineArn } = await engine.createStateMachine({ name: 'ComplexWorkflow', definition });
    const { executionArn } = await engine.startExecution({
      stateMachineArn,
      name: 'seed',
      input: JSON.stringify(input),
    });
    const done = engine.waitForExecution(executionArn);
    await clock.runUntilIdle();
    const described = await done;
    const { events } = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    const entered = events.flatMap((event) => {
      const name = event.stateEnteredEventDetails?.['name'];
      return typeof name === 'string' ? [name] : [];
    });
    return {
      status: described.status,
      error: typeof described.error === 'string' ? described.error : undefined,
      cause: typeof described.cause === 'string' ? described.cause : undefined,
      lastState: entered.at(-1),
      published,
      invocations,
    };
  } finally {
    await engine.close();
  }
};

const executionId = `arn:aws:states:${REGION}:${ACCOUNT}:execution:ComplexWorkflow:seed`;
/** process-order's answer to the seed's input `{"status":"success"}` (see apps/process-order processEvent). */
const seedCause =
  'input is not an OrderSubmitted event: 9 validation errors: version: required; id: required; detail-type: required; source: required; account: required; time: required; region: required; resources: required; detail: required';
const seedAnswer = ProcessTaskOutputSchema.parse({
  status: 'invalid',
  executionId,
  errors: ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'].map(
    (path) => ({ path, message: 'required' }),
  ),
  validation: { error: VALIDATION_ERROR_NAME, cause: seedCause, executionId },
}) as JsonValue;

describe('ComplexWorkflow (the synthesized definition, run)', () => {
  let definition: string;

  beforeAll(() => {
    definition = localDefinition(synthesizeApp());
  });

  it('fails the seed\'s {"status":"success"} at Failed with ValidationError and its cause, publishing OrderFailed', async () => {
    // Act
    const run = await runWorkflow(definition, { status: 'success' }, { 'process-order': () => seedAnswer });

    // Assert
    expect(run).toStrictEqual({
      status: 'FAILED',
      error: VALIDATION_ERROR_NAME,
      cause: seedCause,
      lastState: 'Failed',
      published: [
        {
          detailType: DetailTypes.OrderFailed,
          detail: { error: VALIDATION_ERROR_NAME, cause: seedCause, executionId },
        },
      ],
      invocations: { 'process-order': [{ event: { status: 'success' }, executionId }] },
    });
    expect(OrderFailedDetailSchema.safeParse(run.published[0]?.detail).success).toBe(true);
  });

  it('ends a duplicate run at Duplicate without reserving, scoring, asking for approval or publishing', async () => {
    // Arrange
    const duplicate = ProcessTaskOutputSchema.parse({
      status: 'duplicate',
      eventId: 'evt-1',
      orderId: 'ord-1001',
      firstExecutionId: `arn:aws:states:${REGION}:${ACCOUNT}:execution:ComplexWorkflow:first`,
    }) as JsonValue;

    // Act
    const run = await runWorkflow(definition, { id: 'evt-1' }, { 'process-order': () => duplicate });

    // Assert
    expect(run).toStrictEqual({
      status: 'SUCCEEDED',
      error: undefined,
      cause: undefined,
      lastState: 'Duplicate',
      published: [],
      invocations: { 'process-order': [{ event: { id: 'evt-1' }, executionId }] },
    });
  });

  it('fails when ProcessTask answers outside its contract: ValidationError with a cause, and OrderFailed', async () => {
    // Act
    const run = await runWorkflow(
      definition,
      { status: 'success' },
      { 'process-order': () => ({ ok: true }) },
    );

    // Assert
    expect({ ...run, invocations: undefined }).toStrictEqual({
      status: 'FAILED',
      error: VALIDATION_ERROR_NAME,
      cause: UNEXPECTED_PROCESS_TASK_OUTPUT_CAUSE,
      lastState: 'Failed',
      published: [
        {
          detailType: DetailTypes.OrderFailed,
          detail: { error: VALIDATION_ERROR_NAME, cause: UNEXPECTED_PROCESS_TASK_OUTPUT_CAUSE, executionId },
        },
      ],
      invocations: undefined,
    });
  });

  it('fails when ProcessTask faults on an input without an id: the fault is published, not a States.Runtime', async () => {
    // Arrange
    const stubs = {
      'process-order': () => {
        throw functionError('InvalidTaskInputError', 'ProcessTask expects ...');
      },
    };

    // Act
    const run = await runWorkflow(definition, { status: 'success' }, stubs);

    // Assert
    const cause = JSON.stringify({
      Error: 'InvalidTaskInputError',
      Cause: JSON.stringify({
        errorType: 'InvalidTaskInputError',
        errorMessage: 'ProcessTask expects ...',
        trace: [],
      }),
    });
    expect({ ...run, invocations: undefined }).toStrictEqual({
      status: 'FAILED',
      error: 'InvalidTaskInputError',
      cause,
      lastState: 'ProcessingFailed',
      published: [
        {
          detailType: DetailTypes.OrderFailed,
          detail: { executionId, error: 'InvalidTaskInputError', cause },
        },
      ],
      invocations: undefined,
    });
    expect(run.published.map((entry) => entry.detailType)).toStrictEqual([DetailTypes.OrderFailed]);
  });

  it('retries ProcessTask once after a function timeout (Sandbox.Timedout), then goes on', async () => {
    // Arrange
    const stubs: Record<string, FunctionStub> = {
      'process-order': (_payload, attempt) => {
        if (attempt === 1) throw functionError('Sandbox.Timedout', 'Task timed out after 15.00 seconds');
        return seedAnswer;
      },
    };

    // Act
    const run = await runWorkflow(definition, { status: 'success' }, stubs);

    // Assert
    expect({
      status: run.status,
      error: run.error,
      calls: run.invocations['process-order']?.length,
    }).toStrictEqual({
      status: 'FAILED',
      error: VALIDATION_ERROR_NAME,
      calls: 2,
    });
  });

  it('fails when ProcessTask times out twice: the timeout is published as OrderFailed and ends ProcessingFailed', async () => {
    // Arrange
    const stubs: Record<string, FunctionStub> = {
      'process-order': () => {
        throw functionError('Sandbox.Timedout', 'Task timed out after 15.00 seconds');
      },
    };

    // Act
    const run = await runWorkflow(definition, { status: 'success' }, stubs);

    // Assert
    expect({
      status: run.status,
      error: run.error,
      lastState: run.lastState,
      calls: run.invocations['process-order']?.length,
      published: run.published.map((entry) => [entry.detailType, (entry.detail as { error?: string }).error]),
    }).toStrictEqual({
      status: 'FAILED',
      error: 'Sandbox.Timedout',
      lastState: 'ProcessingFailed',
      calls: 2,
      published: [[DetailTypes.OrderFailed, 'Sandbox.Timedout']],
    });
  });
});
