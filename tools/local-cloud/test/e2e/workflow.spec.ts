import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { clientConfig, eventually, LocalCloudProcess } from './harness';
import {
  approvalToken,
  type Clients,
  createClients,
  decide,
  destroyClients,
  executionFor,
  finished,
  history,
  observeBus,
  observed,
  publish,
  sampleOrder,
  stateMachineArn,
  statesEntered,
  waitingForApproval,
} from './workflow-helpers';

/**
 * The reference workflow end to end, driven only through the AWS SDK v3 against the local cloud started as a user
 * starts it: an OrderSubmitted event on the orders bus starts ComplexWorkflow; outcomes are observed through a
 * rule (created with the EventBridge API) that forwards the workflow's events to a queue.
 */

jest.setTimeout(300_000);

let cloud: LocalCloudProcess;
let clients: Clients;
let workflowArn: string;
let observer: Awaited<ReturnType<typeof observeBus>>;

beforeAll(async () => {
  cloud = await LocalCloudProcess.start();
  clients = createClients(cloud.endpoint);
  workflowArn = await stateMachineArn(clients, 'ComplexWorkflow');
  observer = await observeBus(clients, 'e2e-observer', ['com.example.workflow', 'com.example.approvals']);
});

afterAll(async () => {
  if (clients !== undefined) destroyClients(clients);
  await cloud?.stop();
  cloud?.removeData();
});

describe('ComplexWorkflow through the local cloud', () => {
  it('runs an order that needs approval to AwaitApproval, and SendTaskSuccess publishes OrderApproved', async () => {
    // Arrange
    const orderId = `e2e-approve-${Date.now()}`;

    // Act
    await publish(clients, sampleOrder('order-needs-approval.json', orderId));
    const executionArn = await executionFor(clients, workflowArn, orderId);
    const waiting = await waitingForApproval(clients, executionArn);
    const requested = await observed(
      observer,
      (e) => e['detail-type'] === 'ApprovalRequested' && e.detail['orderId'] === orderId,
      'ApprovalRequested (the dispatcher consumed the AwaitApproval message)',
    );
    const taskToken = approvalToken(waiting) ?? '';
    await decide(clients, taskToken, {
      approvalId: String(requested.detail['approvalId'] ?? 'a-1'),
      decision: 'approve',
      approver: 'alice',
      comment: 'looks fine',
    });
    const done = await finished(clients, executionArn);
    const approved = await observed(
      observer,
      (e) => e['detail-type'] === 'OrderApproved' && e.detail['orderId'] === orderId,
      'OrderApproved',
    );

    // Assert
    expect(statesEntered(waiting)).toStrictEqual([
      'ProcessTask',
      'CheckStatus',
      'ParallelTasks',
      ...statesEntered(waiting).filter((s) => s === 'ReserveInventory' || s === 'ScoreRisk'),
      'NeedsApproval',
      'AwaitApproval',
    ]);
    expect(
      statesEntered(waiting)
        .filter((s) => s === 'ReserveInventory' || s === 'ScoreRisk')
        .sort(),
    ).toStrictEqual(['ReserveInventory', 'ScoreRisk']);
    expect(taskToken).not.toBe('');
    expect(done.status).toBe('SUCCEEDED');
    expect(approved.source).toBe('com.example.workflow');
    expect(approved.detail).toMatchObject({ orderId, approval: { approver: 'alice' } });
    // The handlers' logs for this execution: each task function logged, and nothing at WARN or above on the happy path.
    const { entries } = (await (
      await fetch(`${cloud.endpoint}/_local/logs?execution=${encodeURIComponent(executionArn)}`)
    ).json()) as { entries: { functionName: string; stream: string; message: string }[] };
    expect(new Set(entries.map((e) => e.functionName.replace(/-.*/, '')))).toEqual(
      new Set(['FlowProcessOrder', 'FlowReserveInventory', 'FlowScoreRisk']),
    );
    expect(
      entries.filter((e) => e.stream === 'stderr' || /"level":"(WARN|ERROR|CRITICAL)"/.test(e.message)),
    ).toStrictEqual([]);
  });

  it('releases the reserved stock when an approver rejects the order, and publishes OrderRejected', async () => {
    // Arrange: the inventory table, found through the reserve-inventory function's environment.
    const lambda = new LambdaClient(clientConfig(cloud.endpoint));
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(cloud.endpoint)));
    const { Functions } = await lambda.send(new ListFunctionsCommand({}));
    const tableName =
      Functions?.map((f) => f.Environment?.Variables?.['INVENTORY_TABLE_NAME']).find(
        (name) => name !== undefined,
      ) ?? '';
    const item = async (pk: string) =>
      (await documents.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true })))
        .Item;
    const stock = async () => [
      (await item('SKU#LAPTOP-15'))?.['available'],
      (await item('SKU#DOCK-USB4'))?.['available'],
    ];
    const orderId = `e2e-reject-${Date.now()}`;
    const before = await stock();

    // Act
    await publish(clients, sampleOrder('order-needs-approval.json', orderId));
    const executionArn = await executionFor(clients, workflowArn, orderId);
    const waiting = await waitingForApproval(clients, executionArn);
    const whileWaiting = await stock();
    const requested = await observed(
      observer,
      (e) => e['detail-type'] === 'ApprovalRequested' && e.detail['orderId'] === orderId,
      'ApprovalRequested',
    );
    await decide(clients, approvalToken(waiting) ?? '', {
      approvalId: String(requested.detail['approvalId'] ?? 'a-1'),
      decision: 'reject',
      approver: 'bob',
      comment: 'not this quarter',
    });
    const done = await finished(clients, executionArn);
    const rejected = await observed(
      observer,
      (e) => e['detail-type'] === 'OrderRejected' && e.detail['orderId'] === orderId,
      'OrderRejected',
    );
    const after = await stock();
    const reservation = await item(`RESERVATION#${orderId}`);
    lambda.destroy();
    documents.destroy();

    // Assert: one laptop and two docks held while waiting, all of them back after the rejection.
    expect(tableName).not.toBe('');
    expect(whileWaiting).toStrictEqual([Number(before[0]) - 1, Number(before[1]) - 2]);
    expect(after).toStrictEqual(before);
    expect(done.status).toBe('SUCCEEDED');
    expect(statesEntered(await history(clients, executionArn))).toEqual(
      expect.arrayContaining([
        'ApprovalDecision',
        'MarkRejected',
        'ReleaseInventory',
        'PublishOrderRejected',
      ]),
    );
    expect(reservation).toMatchObject({ status: 'released', releaseReason: 'rejected' });
    expect(rejected.source).toBe('com.example.workflow');
  });

  it('fails an invalid order with ValidationError and a cause naming the wrong fields', async () => {
    // Arrange
    const orderId = `e2e-invalid-${Date.now()}`;

    // Act
    await publish(clients, sampleOrder('order-invalid.json', orderId));
    const executionArn = await executionFor(clients, workflowArn, orderId);
    const done = await finished(clients, executionArn);
    const failure = await observed(
      observer,
      (e) => e['detail-type'] === 'OrderFailed' && JSON.stringify(e.detail).includes('ValidationError'),
      'OrderFailed',
    );

    // Assert
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('ValidationError');
    expect(done.cause).toContain('currency');
    expect(done.cause).toContain('quantity');
    expect(failure.detail['error']).toBe('ValidationError');
  });

  it('retries ProcessTask after a transient fault (its idempotency table missing) and completes the order', async () => {
    // Arrange: make process-order's dependency fail, as a DynamoDB outage would.
    const lambda = new LambdaClient(clientConfig(cloud.endpoint));
    const dynamodb = new DynamoDBClient(clientConfig(cloud.endpoint));
    const { Functions } = await lambda.send(new ListFunctionsCommand({}));
    const processOrder = Functions?.find(
      (f) =>
        f.Environment?.Variables?.['IDEMPOTENCY_TABLE_NAME'] !== undefined &&
        /process/i.test(f.FunctionName ?? ''),
    );
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: processOrder?.FunctionName }));
    const tableName = fn.Configuration?.Environment?.Variables?.['IDEMPOTENCY_TABLE_NAME'] ?? '';
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
    const orderId = `e2e-transient-${Date.now()}`;

    // Act
    await publish(clients, sampleOrder('order-auto-approved.json', orderId));
    const executionArn = await executionFor(clients, workflowArn, orderId);
    const firstFailure = await eventually(async () => {
      const events = await history(clients, executionArn);
      return events.find((e) => e.type === 'TaskFailed' || e.type === 'LambdaFunctionFailed');
    }, 'the first ProcessTask attempt to fail');
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: Table?.KeySchema,
        AttributeDefinitions: Table?.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30 }, { TableName: tableName });
    const done = await finished(clients, executionArn, 60_000);
    const events = await history(clients, executionArn);
    lambda.destroy();
    dynamodb.destroy();

    // Assert
    expect(firstFailure.taskFailedEventDetails?.error).toBe('TransientDependencyError');
    expect(done.status).toBe('SUCCEEDED');
    expect(
      events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error),
    ).toContain('TransientDependencyError');
    expect(statesEntered(events)).toContain('Finalize');
  });
});
