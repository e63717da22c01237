import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { LocalCloudProcess } from './harness';
import {
  approvalToken,
  type Clients,
  createClients,
  decide,
  destroyClients,
  executionFor,
  finished,
  waitingForApproval,
  publish,
  sampleOrder,
  stateMachineArn,
} from './workflow-helpers';

/**
 * Durability: executions waiting for an approval survive a kill -9 of the local cloud and resume when it starts
 * again on the same data folder; the console's Events page still lists the events published before it.
 */

/** One entry of the console's `GET /_console/api/events` (what the Events page shows). */
interface ConsoleRecentEvent {
  eventBusName: string;
  receivedAt: string;
  event: { id: string; source: string; 'detail-type': string; detail: { orderId?: string } };
  matchedRules: string[];
  deliveries: { ruleName: string; targetId: string; status: string }[];
}

/** The events the console's Events page lists for `orderIds` as published by the test (newest first). */
const consoleEventsOf = async (
  endpoint: string,
  published: { Source: string; DetailType: string },
  orderIds: readonly string[],
): Promise<ConsoleRecentEvent[]> => {
  const response = await fetch(`${endpoint}/_console/api/events`);
  if (!response.ok) throw new Error(`GET /_console/api/events: ${response.status} ${await response.text()}`);
  const page = (await response.json()) as { events: ConsoleRecentEvent[] };
  return page.events.filter(
    (entry) =>
      entry.event.source === published.Source &&
      entry.event['detail-type'] === published.DetailType &&
      orderIds.includes(entry.event.detail.orderId ?? ''),
  );
};

jest.setTimeout(400_000);

let cloud: LocalCloudProcess | undefined;
let clients: Clients | undefined;

afterAll(async () => {
  if (clients !== undefined) destroyClients(clients);
  if (cloud !== undefined) {
    await cloud.stop();
    cloud.removeData();
  }
});

describe('restart with executions waiting', () => {
  it('resumes executions waiting for approval after kill -9, and completes them with SendTaskSuccess', async () => {
    // Arrange: two orders waiting at AwaitApproval.
    cloud = await LocalCloudProcess.start();
    clients = createClients(cloud.endpoint);
    const workflowArn = await stateMachineArn(clients, 'ComplexWorkflow');
    const orderIds = [`e2e-restart-a-${Date.now()}`, `e2e-restart-b-${Date.now()}`];
    const waiting: { executionArn: string; token: string }[] = [];
    for (const orderId of orderIds) {
      await publish(clients, sampleOrder('order-needs-approval.json', orderId));
      const executionArn = await executionFor(clients, workflowArn, orderId);
      const token = approvalToken(await waitingForApproval(clients, executionArn)) ?? '';
      waiting.push({ executionArn, token });
    }
    const dataDir = cloud.dataDir;
    const [published] = sampleOrder('order-needs-approval.json', 'any');
    if (published === undefined) throw new Error('the sample order has no entry');
    const eventsBefore = await consoleEventsOf(cloud.endpoint, published, orderIds);

    // Act: kill -9, start again on the same data folder.
    await cloud.kill9();
    destroyClients(clients);
    cloud = await LocalCloudProcess.start({ dataDir });
    clients = createClients(cloud.endpoint);
    const eventsAfter = await consoleEventsOf(cloud.endpoint, published, orderIds);
    const afterRestart = await Promise.all(
      waiting.map(({ executionArn }) =>
        (clients as Clients).sfn.send(new DescribeExecutionCommand({ executionArn })),
      ),
    );
    for (const { token } of waiting) {
      await decide(clients, token, {
        approvalId: 'restart',
        decision: 'approve',
        approver: 'bob',
        comment: 'after the restart',
      });
    }
    const done = await Promise.all(
      waiting.map(({ executionArn }) => finished(clients as Clients, executionArn)),
    );

    // Assert
    expect(eventsAfter).toStrictEqual(eventsBefore);
    expect(eventsBefore.map((entry) => entry.event.detail.orderId)).toStrictEqual([...orderIds].reverse());
    expect(eventsBefore.flatMap((entry) => entry.deliveries.map((d) => d.status))).not.toContain('pending');
    expect(afterRestart.map((d) => d.status)).toStrictEqual(['RUNNING', 'RUNNING']);
    expect(done.map((d) => d.status)).toStrictEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});
