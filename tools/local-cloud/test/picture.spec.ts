/**
 * The real CDK app, synthesized and run: the loader's picture of infra/src/app.ts, and an OrderSubmitted event that
 * runs ComplexWorkflow through the real handlers (bundled, in workers) up to the approval request on the queue.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EnvVars, INVENTORY_SEED_FILE, InventoryKeys, LocalIdentity } from '@flow/contracts';
import { LocalCloud } from '../src/cloud';
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

    it('gives the functions that trust the local issuer the local identity provider’s public keys', () => {
      // Act
      const trusting = cloud.lambda
        .list()
        .filter((fn) => fn.spec.environment[EnvVars.JwtIssuer] === LocalIdentity.issuer);

      // Assert
      expect(trusting.length).toBeGreaterThan(0);
      for (const fn of trusting) {
        const jwks = JSON.parse(fn.spec.environment[EnvVars.JwtPublicJwks] ?? '{}') as {
          keys?: { kid?: string }[];
        };
        expect(jwks.keys?.map((key) => key.kid)).toStrictEqual([LocalIdentity.keyId]);
      }
    });

    it('runs an OrderSubmitted event on the orders bus through ProcessTask and ParallelTasks to the approval request, then to OrderApproved', async () => {
      // Arrange
      const [entry] = JSON.parse(
        readFileSync(join(repoRoot, 'samples/events/order-needs-approval.json'), 'utf8'),
      ) as SampleEntry[];
      if (entry === undefined) throw new Error('sample event missing');
      const machineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplexWorkflow';
      const approvals = cloud.picture.queues.find((q) => q.queueName.includes('ApprovalsQueue'));
      // Stock for the order's SKUs, as `nx run reserve-inventory:seed` writes it.
      const inventory = cloud.picture.tables.find((t) => /inventory/i.test(t.tableName));
      const stock = JSON.parse(readFileSync(join(repoRoot, INVENTORY_SEED_FILE), 'utf8')) as Record<
        string,
        number
      >;
      const dynamodb = new DynamoDBClient({
        endpoint: cloud.dynamodbEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      for (const [sku, available] of Object.entries(stock)) {
        await dynamodb.send(
          new PutItemCommand({
            TableName: inventory?.tableName ?? '',
            Item: {
              pk: { S: InventoryKeys.stock(sku) },
              sku: { S: sku },
              available: { N: String(available) },
            },
          }),
        );
      }
      dynamodb.destroy();

      // Act: publish, then read the approval request the workflow puts on the approvals queue.
      const published = cloud.events.putEvents({ Entries: [entry] });
      let body: string | undefined;
      for (let i = 0; i < 90 && body === undefined; i += 1) {
        const { Messages } = await cloud.sqs.receiveMessage({
          QueueUrl: approvals?.queueUrl ?? '',
          WaitTimeSeconds: 1,
        });
        body = Messages?.[0]?.Body;
      }
      const request = JSON.parse(body ?? '{}') as { taskToken?: string; orderId?: string; amount?: number };
      const [execution] = (await cloud.engine.listExecutions({ stateMachineArn: machineArn })).executions;
      const executionArn = execution?.executionArn ?? '';
      await cloud.engine.sendTaskSuccess({
        taskToken: request.taskToken ?? '',
        output: JSON.stringify({
          decision: 'approve',
          approver: 'alice@example.com',
          comment: 'fine',
          decidedAt: '2026-11-24T10:00:00Z',
        }),
      });
      const done = await cloud.engine.waitForExecution(executionArn);
      await cloud.events.settled();
      const history = await cloud.engine.getExecutionHistory({ executionArn });

      // Assert
      expect(published.FailedEntryCount).toBe(0);
      expect(request.orderId).toBe('ord-2001');
      expect(typeof request.taskToken).toBe('string');
      const entered = history.events
        .filter((e) => e.type.endsWith('StateEntered'))
        .map((e) => e.stateEnteredEventDetails?.['name']);
      expect(entered).toEqual(
        expect.arrayContaining([
          'ProcessTask',
          'CheckStatus',
          'ParallelTasks',
          'ReserveInventory',
          'ScoreRisk',
          'NeedsApproval',
          'AwaitApproval',
          'ApprovalDecision',
          'ApplyApproval',
        ]),
      );
      expect(done.status).toBe('SUCCEEDED');
      const outcomes = cloud.events
        .recentEvents({ eventBusName: 'orders' })
        .map((recent) => recent.event['detail-type']);
      expect(outcomes).toEqual(expect.arrayContaining(['OrderSubmitted', 'OrderApproved']));
    }, 180_000);
  });
});
