import { readFileSync } from 'node:fs';
import path from 'node:path';
import { aws, eventually, LocalCloudProcess, REPO_ROOT } from './harness';

/**
 * ComplexWorkflow's validation and duplicate paths, driven only through the AWS CLI as a user would: the seed's own
 * command (an input that is not an order) and a duplicate delivery of one OrderSubmitted event (the same event id
 * started twice, as EventBridge's at-least-once delivery may do).
 */

jest.setTimeout(300_000);

const WORKFLOW = 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow';
let cloud: LocalCloudProcess;

beforeAll(async () => {
  cloud = await LocalCloudProcess.start();
});

afterAll(async () => {
  await cloud?.stop();
  cloud?.removeData();
});

const json = <T>(text: string): T => JSON.parse(text) as T;

interface Execution {
  status: string;
  error?: string;
  cause?: string;
}
interface HistoryEvent {
  type: string;
  stateEnteredEventDetails?: { name: string };
  taskScheduledEventDetails?: { parameters: string };
}

/** `aws stepfunctions start-execution`, then polls describe-execution until it leaves RUNNING. */
const runExecution = async (input: string): Promise<{ executionArn: string; execution: Execution }> => {
  const started = await aws(cloud.endpoint, [
    'stepfunctions',
    'start-execution',
    '--state-machine-arn',
    WORKFLOW,
    '--input',
    input,
  ]);
  if (started.code !== 0) throw new Error(`start-execution failed: ${started.stderr}`);
  const { executionArn } = json<{ executionArn: string }>(started.stdout);
  const execution = await eventually(
    async () => {
      const result = await aws(cloud.endpoint, [
        'stepfunctions',
        'describe-execution',
        '--execution-arn',
        executionArn,
      ]);
      const described = json<Execution>(result.stdout);
      return described.status === 'RUNNING' ? undefined : described;
    },
    'the execution to finish',
    60_000,
    250,
  );
  return { executionArn, execution };
};

const historyOf = async (executionArn: string): Promise<HistoryEvent[]> => {
  const result = await aws(cloud.endpoint, [
    'stepfunctions',
    'get-execution-history',
    '--execution-arn',
    executionArn,
  ]);
  return json<{ events: HistoryEvent[] }>(result.stdout).events;
};
const statesEntered = (events: HistoryEvent[]): string[] =>
  events.flatMap((event) => (event.stateEnteredEventDetails ? [event.stateEnteredEventDetails.name] : []));

describe('ComplexWorkflow through the AWS CLI', () => {
  it('fails the seed\'s {"status":"success"} with ValidationError naming the missing fields, after publishing OrderFailed', async () => {
    // Act
    const { executionArn, execution } = await runExecution('{"status":"success"}');
    const events = await historyOf(executionArn);

    // Assert
    expect(execution).toMatchObject({
      status: 'FAILED',
      error: 'ValidationError',
      cause:
        'input is not an OrderSubmitted event: 9 validation errors: version: required; id: required; detail-type: required; source: required; account: required; time: required; region: required; resources: required; detail: required',
    });
    expect(statesEntered(events)).toStrictEqual([
      'ProcessTask',
      'CheckStatus',
      'PublishValidationFailed',
      'Failed',
    ]);
    const putEvents = events
      .flatMap((event) =>
        event.taskScheduledEventDetails ? [event.taskScheduledEventDetails.parameters] : [],
      )
      .map((parameters) => json<{ Entries?: { DetailType: string; Detail: unknown }[] }>(parameters))
      .flatMap((parameters) => parameters.Entries ?? []);
    expect(putEvents).toStrictEqual([
      {
        DetailType: 'OrderFailed',
        Detail: expect.objectContaining({ error: 'ValidationError', executionId: executionArn }) as unknown,
        EventBusName: expect.stringMatching(/event-bus\/orders$/) as unknown,
        Source: 'com.example.workflow',
      },
    ]);
  });

  it('ends a second run of the same OrderSubmitted event at Duplicate, without a second outcome', async () => {
    // Arrange: the auto-approved sample as the rule delivers it, with one fixed event id.
    const [entry] = json<{ Source: string; DetailType: string; Detail: string }[]>(
      readFileSync(path.join(REPO_ROOT, 'samples/events/order-auto-approved.json'), 'utf8'),
    );
    const event = JSON.stringify({
      version: '0',
      id: `evt-duplicate-${Date.now()}`,
      'detail-type': entry?.DetailType,
      source: entry?.Source,
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: json<unknown>(entry?.Detail ?? '{}'),
    });
    const first = await runExecution(event);

    // Act
    const second = await runExecution(event);

    // Assert
    expect(first.execution.status).toBe('SUCCEEDED');
    expect(second.execution.status).toBe('SUCCEEDED');
    expect(statesEntered(await historyOf(second.executionArn))).toStrictEqual([
      'ProcessTask',
      'CheckStatus',
      'Duplicate',
    ]);
  });
});
