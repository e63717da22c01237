import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { DisableRuleCommand, EnableRuleCommand, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { VirtualClock } from '@flow/asl-engine';
import { APPROVAL_DEFAULT_HEARTBEAT_SECONDS, APPROVAL_DEFAULT_TIMEOUT_SECONDS } from '@flow/contracts';
import { LocalCloud } from '../../src/cloud';
import { stockInventoryIfEmpty } from '../../src/cli/demo-data';
import { issueToken } from '../../src/cli/identity';
import { startHttpServer, type RunningHttpServer } from '../../src/server/http-server';
import { localCloudRoutes } from '../../src/server/local-cloud-routes';
import { clientConfig, eventually, REPO_ROOT } from '../e2e/harness';
import {
  type Clients,
  createClients,
  destroyClients,
  finished,
  history,
  stateMachineArn,
} from '../e2e/workflow-helpers';
import { approvalsApiUrl, callApi, createWitness, submitOrderNeedingApproval } from './approvals-helpers';

/**
 * Approval timeouts on the virtual clock: the local cloud composed as `local-cloud serve` composes it (HTTP endpoint,
 * services, the CDK app's picture) but with a virtual clock, so days of waiting take milliseconds. Driven through
 * the approvals HTTP API and the AWS SDK.
 */

jest.setTimeout(240_000);

const HOUR = 3_600_000;
let clock: VirtualClock;
let server: RunningHttpServer;
let cloud: LocalCloud;
let clients: Clients;
let lambda: LambdaClient;
let baseUrl: string;
let workflowArn: string;
let dataDir: string;
const witness = createWitness();
const tokens = { alice: '', dave: '' };
let run = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'local-cloud-approvals-clock-'));
  clock = new VirtualClock(Date.now());
  server = await startHttpServer({ port: 0 });
  cloud = await LocalCloud.start({ dataDir, port: server.port, appDir: REPO_ROOT, clock });
  await stockInventoryIfEmpty(cloud, REPO_ROOT);
  const { routes, rawRoutes } = localCloudRoutes(cloud, { endpoint: server.url });
  server.setRoutes(routes, rawRoutes);
  clients = createClients(server.url);
  lambda = new LambdaClient(clientConfig(server.url));
  workflowArn = await stateMachineArn(clients, 'ComplexWorkflow');
  baseUrl = await approvalsApiUrl(server.url, lambda);
  tokens.alice = await issueToken(dataDir, 'alice');
  tokens.dave = await issueToken(dataDir, 'dave');
});

afterAll(async () => {
  destroyClients(clients);
  lambda.destroy();
  await server.close();
  await cloud.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const submit = (label: string) =>
  submitOrderNeedingApproval(
    clients,
    witness,
    workflowArn,
    { baseUrl, token: tokens.alice },
    `e2e-clock-${label}-${Date.now().toString(36)}-${(run += 1)}`,
  );

const timedOutError = (events: readonly HistoryEvent[]): string | undefined =>
  events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails?.error;

const expiredApproval = (approvalId: string) =>
  eventually(
    async () => {
      const answer = await callApi(witness, baseUrl, 'GET', `/approvals/${approvalId}`, {
        token: tokens.alice,
      });
      return answer.body['status'] === 'expired' ? answer.body : undefined;
    },
    `approval ${approvalId} to be expired`,
    30_000,
    200,
  );

/** approval-api's keepalive schedule (the one scheduled rule on the default bus). */
const keepaliveRuleName = async (): Promise<string> => {
  const { Rules = [] } = await clients.events.send(new ListRulesCommand({ EventBusName: 'default' }));
  const rule = Rules.find((candidate) => candidate.ScheduleExpression !== undefined);
  if (rule?.Name === undefined)
    throw new Error('no scheduled rule on the default bus: where is the keepalive?');
  return rule.Name;
};

const lastHeartbeatAt = async (approvalId: string): Promise<unknown> =>
  (await callApi(witness, baseUrl, 'GET', `/approvals/${approvalId}`, { token: tokens.alice })).body[
    'lastHeartbeatAt'
  ];

describe('approval timeouts on the virtual clock', () => {
  // A test that switches the keepalive off must not leave it off for the next one, pass or fail.
  afterEach(async () => {
    await clients.events.send(new EnableRuleCommand({ Name: await keepaliveRuleName() }));
  });

  it('keeps an approval nobody touches alive past HeartbeatSeconds with the keepalive, until someone decides', async () => {
    // Arrange
    const order = await submit('keepalive');
    const keepalivePeriod = (APPROVAL_DEFAULT_HEARTBEAT_SECONDS * 1000) / 4;
    const seen: unknown[] = [await lastHeartbeatAt(order.approvalId)];

    // Act: 30 hours (past HeartbeatSeconds) in keepalive periods, each round landing before the next
    for (let round = 1; round <= 5; round += 1) {
      await clock.advance(keepalivePeriod);
      const previous = seen[seen.length - 1];
      seen.push(
        await eventually(
          async () => {
            const at = await lastHeartbeatAt(order.approvalId);
            return at !== undefined && at !== previous ? at : undefined;
          },
          `keepalive round ${round} of ${order.approvalId}`,
          30_000,
          100,
        ),
      );
    }
    const { status: afterThirtyHours } = await clients.sfn.send(
      new DescribeExecutionCommand({ executionArn: order.executionArn }),
    );
    const decided = await callApi(witness, baseUrl, 'POST', `/approvals/${order.approvalId}/decision`, {
      token: tokens.alice,
      body: { decision: 'approve' },
    });
    const done = await finished(clients, order.executionArn, 60_000);

    // Assert
    expect(seen).toHaveLength(6);
    expect(afterThirtyHours).toBe('RUNNING');
    expect(decided.status).toBe(200);
    expect(done.status).toBe('SUCCEEDED');
  });

  it('expires an approval after HeartbeatSeconds once the approval service stops its keepalive: OrderExpired, then 410', async () => {
    // Arrange: the service is "down" (its keepalive schedule disabled)
    const rule = await keepaliveRuleName();
    await clients.events.send(new DisableRuleCommand({ Name: rule }));
    const order = await submit('no-heartbeat');

    // Act
    await clock.advance(APPROVAL_DEFAULT_HEARTBEAT_SECONDS * 1000 + 1000);
    const done = await finished(clients, order.executionArn, 60_000);
    const approval = await expiredApproval(order.approvalId);
    const late = await callApi(witness, baseUrl, 'POST', `/approvals/${order.approvalId}/decision`, {
      token: tokens.alice,
      body: { decision: 'approve' },
    });

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    // One day in, far below TimeoutSeconds: only the missed heartbeat can have ended the wait. (The history's
    // TaskTimedOut names it States.Timeout, as AWS does; Catch matches it as States.HeartbeatTimeout.)
    expect(['States.HeartbeatTimeout', 'States.Timeout']).toContain(
      timedOutError(await history(clients, order.executionArn)),
    );
    expect(approval).toMatchObject({ status: 'expired' });
    expect(late.status).toBe(410);
  });

  it('keeps a 7-day external review alive with heartbeats, then ends it at TimeoutSeconds: 410', async () => {
    // Arrange
    const order = await submit('seven-days');
    const step = APPROVAL_DEFAULT_HEARTBEAT_SECONDS * 1000 - 4 * HOUR;
    const timeout = APPROVAL_DEFAULT_TIMEOUT_SECONDS * 1000;
    const beats: number[] = [];

    // Act
    let elapsed = 0;
    while (elapsed + step < timeout) {
      await clock.advance(step);
      elapsed += step;
      const beat = await callApi(witness, baseUrl, 'POST', `/approvals/${order.approvalId}/heartbeat`, {
        token: tokens.dave,
        body: { note: `day ${Math.ceil(elapsed / (24 * HOUR))}` },
      });
      beats.push(beat.status);
    }
    const { status: runningBeforeTimeout } = await clients.sfn.send(
      new DescribeExecutionCommand({ executionArn: order.executionArn }),
    );
    await clock.advance(timeout - elapsed + 1000);
    const done = await finished(clients, order.executionArn, 60_000);
    const approval = await expiredApproval(order.approvalId);
    const late = await callApi(witness, baseUrl, 'POST', `/approvals/${order.approvalId}/decision`, {
      token: tokens.alice,
      body: { decision: 'approve' },
    });

    // Assert
    expect(beats.length).toBeGreaterThanOrEqual(7);
    expect(beats.every((status) => status === 200)).toBe(true);
    expect(runningBeforeTimeout).toBe('RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(timedOutError(await history(clients, order.executionArn))).toBe('States.Timeout');
    expect(approval).toMatchObject({ status: 'expired' });
    expect(late.status).toBe(410);
  });

  it('never shows a task token in a response', () => {
    // Assert
    expect(witness.taskTokens.size).toBeGreaterThan(0);
    for (const token of witness.taskTokens) {
      expect(witness.responses.filter((text) => text.includes(token))).toStrictEqual([]);
    }
  });
});
