/**
 * The real CDK app, synthesized and run: the loader's picture of infra/src/app.ts, and an OrderSubmitted event that
 * runs ComplexWorkflow through the real handlers (bundled, in workers) up to the approval request on the queue.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalCloud } from '../src/cloud';
import { matchesPattern } from '../src/events';
import { loadPicture, type LocalPicture } from '../src/loader';
import { startHttpServer, type RunningHttpServer } from '../src/server/http-server';
import { localCloudRoutes } from '../src/server/local-cloud-routes';

const repoRoot = resolve(__dirname, '../../..');
/** Synth cache shared by runs of this suite (keyed by the app's input hash, so always current). */
const synthDir = join(tmpdir(), 'local-cloud-picture-spec');

type SampleEntry = { Source: string; DetailType: string; Detail: string; EventBusName: string };

describe('the picture of the real CDK app', () => {
  let server: RunningHttpServer;
  let picture: LocalPicture;

  beforeAll(async () => {
    server = await startHttpServer({ port: 0 });
    ({ picture } = await loadPicture({
      repoRoot,
      appEntry: 'infra/src/app.ts',
      dataDir: synthDir,
      accountId: '000000000000',
      region: 'us-east-1',
      endpoint: server.url,
    }));
  }, 240_000);

  afterAll(async () => {
    await server.close();
  });

  it('resolves every task resource of ComplexWorkflow to a function, queue or bus of the app', () => {
    // Arrange
    const machine = picture.stateMachines.find((m) => m.name === 'ComplexWorkflow');
    const functionArns = new Set(picture.functions.map((f) => f.functionArn));
    const queueUrls = new Set(picture.queues.map((q) => q.queueUrl));
    const busArns = new Set(picture.buses.map((b) => b.arn));
    const tasks: { Resource: string; Parameters?: Record<string, unknown> }[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (record['Type'] === 'Task' && typeof record['Resource'] === 'string') {
          tasks.push(record as { Resource: string; Parameters?: Record<string, unknown> });
        }
        Object.values(record).forEach(walk);
      }
    };

    // Act
    walk(JSON.parse(machine?.definition ?? '{}'));

    // Assert
    expect(machine?.stateMachineArn).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow',
    );
    expect(picture.warnings).toStrictEqual([]);
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) {
      const p = task.Parameters ?? {};
      if (task.Resource === 'arn:aws:states:::lambda:invoke')
        expect(functionArns).toContain(p['FunctionName']);
      if (task.Resource.startsWith('arn:aws:states:::sqs:')) expect(queueUrls).toContain(p['QueueUrl']);
      if (task.Resource === 'arn:aws:states:::events:putEvents') {
        for (const entry of p['Entries'] as { EventBusName: string }[])
          expect(busArns).toContain(entry.EventBusName);
      }
    }
  });

  it('maps every function to a handler source that exists and wires the approvals queue to its consumer', () => {
    // Assert
    for (const fn of picture.functions) {
      expect(fn.entry).toBeDefined();
      expect(existsSync(join(repoRoot, fn.entry ?? ''))).toBe(true);
    }
    const [mapping] = picture.eventSourceMappings;
    expect(picture.queues.map((q) => q.queueArn)).toContain(mapping?.eventSourceArn);
    expect(picture.functions.map((f) => f.functionName)).toContain(mapping?.functionName);
    expect(mapping?.reportBatchItemFailures).toBe(true);
    const submitted = picture.rules.find((rule) => rule.eventPattern?.includes('OrderSubmitted'));
    expect(submitted?.eventBusName).toBe('orders');
    expect(submitted?.targets.map((t) => t.Arn)).toStrictEqual([
      'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow',
    ]);
  });

  describe('running it', () => {
    let dataDir: string;
    let cloud: LocalCloud;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'local-cloud-run-'));
      cloud = await LocalCloud.start({
        appDir: repoRoot,
        dataDir,
        port: server.port,
        picture,
        // The approvals queue's consumer is not started: this test reads the approval request itself.
        eventSourceMappings: false,
      });
      const { routes, rawRoutes } = localCloudRoutes(cloud, { endpoint: server.url });
      server.setRoutes(routes, rawRoutes);
      await cloud.lambda.bundleAll();
    }, 240_000);

    afterAll(async () => {
      await cloud.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('runs an OrderSubmitted event through ProcessTask and ParallelTasks to the approval request', async () => {
      // Arrange
      const [entry] = JSON.parse(
        readFileSync(join(repoRoot, 'samples/events/order-needs-approval.json'), 'utf8'),
      ) as SampleEntry[];
      if (entry === undefined) throw new Error('sample event missing');
      const event = {
        version: '0',
        id: 'b1f4a3c2-0000-4000-8000-000000000001',
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [],
        detail: JSON.parse(entry.Detail) as unknown,
      };
      const rules = cloud.picture.rules.filter(
        (rule) =>
          rule.eventBusName === entry.EventBusName &&
          rule.eventPattern !== undefined &&
          matchesPattern(JSON.parse(rule.eventPattern) as never, event as never),
      );

      // Act: deliver the event to the matching rules' targets, as the orders bus does.
      for (const rule of rules) {
        for (const target of rule.targets) await cloud.targets.dispatch(target, JSON.stringify(event));
      }
      const approvalsUrl =
        cloud.picture.queues.find(
          (q) => q.attributes['RedrivePolicy'] !== undefined && q.queueName.includes('Approvals'),
        )?.queueUrl ?? '';
      let body: string | undefined;
      for (let i = 0; i < 90 && body === undefined; i += 1) {
        const { Messages } = await cloud.sqs.receiveMessage({ QueueUrl: approvalsUrl, WaitTimeSeconds: 1 });
        body = Messages?.[0]?.Body;
      }
      const [execution] = (
        await cloud.engine.listExecutions({
          stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow',
        })
      ).executions;
      const history = await cloud.engine.getExecutionHistory({ executionArn: execution?.executionArn ?? '' });

      // Assert
      const entered = history.events
        .filter((e) => e.type.endsWith('StateEntered'))
        .map((e) => e.stateEnteredEventDetails?.name);
      expect(rules.map((rule) => rule.name)).toStrictEqual(['FlowWorkflow-OrderSubmittedRuleDE8D15D5']);
      expect(entered).toEqual(
        expect.arrayContaining(['ProcessTask', 'CheckStatus', 'ParallelTasks', 'AwaitApproval']),
      );
      expect(execution?.status).toBe('RUNNING');
      expect(body).toBeDefined();
      const message = JSON.parse(body ?? '{}') as Record<string, unknown>;
      expect(typeof message['taskToken']).toBe('string');
    }, 180_000);
  });
});
