import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { SendTaskFailureCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { clientConfig, eventually, LocalCloudProcess } from '../e2e/harness';
import {
  type Clients,
  createClients,
  destroyClients,
  finished,
  observeBus,
  observed,
  stateMachineArn,
} from '../e2e/workflow-helpers';
import {
  approvalsApiUrl,
  callApi,
  createWitness,
  forgedToken,
  localToken,
  submitOrderNeedingApproval,
  type WaitingOrder,
} from './approvals-helpers';

/**
 * The approvals service end to end on the local cloud, started as a user starts it, driven only through the
 * approvals HTTP API (function URL, bearer tokens from `local-cloud token`) and the AWS SDK v3: orders that need
 * approval reach AwaitApproval, approval-dispatcher records them, people and systems decide, the workflow resumes.
 * Every response body and the whole local cloud output are scanned for the task tokens the suite saw.
 */

jest.setTimeout(240_000);

let cloud: LocalCloudProcess;
let clients: Clients;
let lambda: LambdaClient;
let baseUrl: string;
let workflowArn: string;
let observer: Awaited<ReturnType<typeof observeBus>>;
const witness = createWitness();
const tokens: Record<'alice' | 'bob' | 'carol' | 'dave', string> = {
  alice: '',
  bob: '',
  carol: '',
  dave: '',
};
let run = 0;

const uniqueOrderId = (label: string): string => `e2e-apr-${label}-${Date.now().toString(36)}-${(run += 1)}`;

const submit = (label: string, requestedBy = 'carol'): Promise<WaitingOrder> =>
  submitOrderNeedingApproval(
    clients,
    witness,
    workflowArn,
    { baseUrl, token: tokens.alice },
    uniqueOrderId(label),
    requestedBy,
  );

const decide = (token: string, approvalId: string, body: unknown) =>
  callApi(witness, baseUrl, 'POST', `/approvals/${approvalId}/decision`, { token, body });

const getApproval = (approvalId: string) =>
  callApi(witness, baseUrl, 'GET', `/approvals/${approvalId}`, { token: tokens.alice });

beforeAll(async () => {
  cloud = await LocalCloudProcess.start({ timeoutMs: 180_000 });
  clients = createClients(cloud.endpoint);
  lambda = new LambdaClient(clientConfig(cloud.endpoint));
  workflowArn = await stateMachineArn(clients, 'ComplexWorkflow');
  baseUrl = await approvalsApiUrl(cloud.endpoint, lambda);
  observer = await observeBus(clients, 'e2e-approvals-observer', [
    'com.example.workflow',
    'com.example.approvals',
  ]);
  for (const user of ['alice', 'bob', 'carol', 'dave'] as const)
    tokens[user] = await localToken(cloud.dataDir, user);
});

afterAll(async () => {
  destroyClients(clients);
  lambda.destroy();
  await cloud.stop();
  cloud.removeData();
});

describe('approvals on the local cloud', () => {
  it('approves: the workflow resumes with the decision and publishes OrderApproved; the audit shows it', async () => {
    // Arrange
    const order = await submit('approve');

    // Act
    const answer = await decide(tokens.alice, order.approvalId, {
      decision: 'approve',
      comment: 'invoice checked',
    });
    const done = await finished(clients, order.executionArn, 60_000);
    const approved = await observed(
      observer,
      (e) => e['detail-type'] === 'OrderApproved' && e.detail['orderId'] === order.orderId,
      'OrderApproved',
    );
    const audit = await callApi(witness, baseUrl, 'GET', `/orders/${order.orderId}/audit`, {
      token: tokens.dave,
    });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      approvalId: order.approvalId,
      status: 'approved',
      decision: { decision: 'approve', approver: 'alice', comment: 'invoice checked', channel: 'http' },
    });
    expect(done.status).toBe('SUCCEEDED');
    expect(approved.detail).toMatchObject({ approval: { approver: 'alice', comment: 'invoice checked' } });
    const actions = ((audit.body['items'] ?? []) as Record<string, unknown>[]).map((e) => [
      e['action'],
      e['actor'],
    ]);
    expect(actions).toStrictEqual([
      ['requested', 'carol'],
      ['decided', 'alice'],
    ]);
  });

  it('rejects: the workflow releases the order and publishes OrderRejected', async () => {
    // Arrange
    const order = await submit('reject');

    // Act
    const answer = await decide(tokens.bob, order.approvalId, { decision: 'reject', comment: 'too risky' });
    await finished(clients, order.executionArn, 60_000);
    const rejected = await observed(
      observer,
      (e) => e['detail-type'] === 'OrderRejected' && e.detail['orderId'] === order.orderId,
      'OrderRejected',
    );

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.body['status']).toBe('rejected');
    expect(rejected.source).toBe('com.example.workflow');
  });

  it('lets exactly one of two racing approvers win; the other gets 409 with the current state', async () => {
    // Arrange
    const order = await submit('race');

    // Act
    const answers = await Promise.all([
      decide(tokens.alice, order.approvalId, { decision: 'approve' }),
      decide(tokens.bob, order.approvalId, { decision: 'reject' }),
    ]);
    const current = await getApproval(order.approvalId);

    // Assert
    expect(answers.map((a) => a.status).sort()).toStrictEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409);
    expect(loser?.body).toStrictEqual({
      error: 'Conflict',
      message: `approval is already ${String(current.body['status'])}`,
      approval: current.body,
    });
    expect((await finished(clients, order.executionArn, 60_000)).status).toBe('SUCCEEDED');
  });

  it('fails with 403 when the requester approves their own order, and the approval stays pending', async () => {
    // Arrange
    const order = await submit('self', 'alice');

    // Act
    const answer = await decide(tokens.alice, order.approvalId, { decision: 'approve' });
    const after = await getApproval(order.approvalId);

    // Assert
    expect(answer).toStrictEqual({
      status: 403,
      body: { error: 'Forbidden', message: 'the requester of an order may not decide on it' },
    });
    expect(after.body['status']).toBe('pending');
  });

  it('fails with 401 without a token and with a forged one', async () => {
    // Arrange
    const forged = await forgedToken('alice', ['approver']);

    // Act
    const anonymous = await callApi(witness, baseUrl, 'GET', '/approvals?status=pending');
    const forgedAnswer = await callApi(witness, baseUrl, 'GET', '/approvals?status=pending', {
      token: forged,
    });

    // Assert
    expect(anonymous).toStrictEqual({
      status: 401,
      body: { error: 'Unauthorized', message: 'missing bearer token (Authorization: Bearer <jwt>)' },
    });
    expect(forgedAnswer).toStrictEqual({
      status: 401,
      body: { error: 'Unauthorized', message: 'token signature is not valid' },
    });
  });

  it('fails with 404 for an unknown approval', async () => {
    // Act
    const answer = await decide(tokens.alice, 'apr_00000000000000000000000000000000', {
      decision: 'approve',
    });

    // Assert
    expect(answer).toStrictEqual({
      status: 404,
      body: { error: 'NotFound', message: 'no approval apr_00000000000000000000000000000000' },
    });
  });

  it('fails with 400 naming the field for a bad body', async () => {
    // Arrange
    const order = await submit('bad-body');

    // Act
    const answer = await decide(tokens.alice, order.approvalId, { decision: 'perhaps' });

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'BadRequest', fields: ['decision'] });
  });

  it('keeps an external review alive with heartbeats (SendTaskHeartbeat), recorded in the audit trail', async () => {
    // Arrange
    const order = await submit('heartbeat');

    // Act
    const beat = await callApi(witness, baseUrl, 'POST', `/approvals/${order.approvalId}/heartbeat`, {
      token: tokens.dave,
      body: { note: 'compliance check running' },
    });
    const audit = await callApi(witness, baseUrl, 'GET', `/approvals/${order.approvalId}/audit`, {
      token: tokens.dave,
    });

    // Assert
    expect(beat.status).toBe(200);
    expect(beat.body).toMatchObject({ status: 'pending', lastHeartbeatAt: expect.any(String) });
    const entries = (audit.body['items'] ?? []) as Record<string, unknown>[];
    expect(entries.map((e) => [e['action'], e['actor'], e['note']])).toContainEqual([
      'heartbeat',
      'dave',
      'compliance check running',
    ]);
  });

  it('fails with 410 once the workflow no longer waits, and marks the approval expired', async () => {
    // Arrange
    const order = await submit('gone');
    await clients.sfn.send(
      new StopExecutionCommand({ executionArn: order.executionArn, error: 'E2E.Stopped' }),
    );
    await finished(clients, order.executionArn, 60_000);

    // Act
    const answer = await decide(tokens.alice, order.approvalId, { decision: 'approve' });
    const after = await getApproval(order.approvalId);

    // Assert
    expect(answer.status).toBe(410);
    expect(answer.body).toMatchObject({ error: 'Gone', approval: { status: 'expired' } });
    expect(after.body['status']).toBe('expired');
  });

  it('settles the approval when an external system fails the wait (SendTaskFailure): OrderFailed, then 410', async () => {
    // Arrange: a system holding the token (here: the one the queue message carried) fails the task
    const order = await submit('task-failure');
    const taskToken = String(order.message['taskToken']);

    // Act
    await clients.sfn.send(
      new SendTaskFailureCommand({ taskToken, error: 'Compliance.Unavailable', cause: 'review system down' }),
    );
    const done = await finished(clients, order.executionArn, 60_000);
    const failed = await observed(
      observer,
      (e) => e['detail-type'] === 'OrderFailed' && e.detail['orderId'] === order.orderId,
      'OrderFailed',
    );
    const settled = await eventually(
      async () => {
        const answer = await getApproval(order.approvalId);
        return answer.body['status'] === 'expired' ? answer.body : undefined;
      },
      `approval ${order.approvalId} settled after OrderFailed`,
      30_000,
      200,
    );
    const late = await decide(tokens.alice, order.approvalId, { decision: 'approve' });

    // Assert: the workflow compensated and published OrderFailed; the inbox no longer offers a dead approval
    expect(done.status).toBe('FAILED');
    expect(failed.detail['error']).toBe('Compliance.Unavailable');
    expect(settled['status']).toBe('expired');
    expect(late.status).toBe(410);
  });

  it('applies an external ApprovalDecision from a trusted source through the same decision path', async () => {
    // Arrange
    const order = await submit('external');

    // Act
    await clients.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'orders',
            Source: 'com.example.credit',
            DetailType: 'ApprovalDecision',
            Detail: JSON.stringify({
              approvalId: order.approvalId,
              decision: 'approve',
              approver: 'credit-bot',
              comment: 'score ok',
            }),
          },
        ],
      }),
    );
    const done = await finished(clients, order.executionArn, 60_000);
    const after = await getApproval(order.approvalId);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(after.body).toMatchObject({
      status: 'approved',
      decision: { approver: 'com.example.credit:credit-bot', channel: 'event', comment: 'score ok' },
    });
  });

  it('ignores an ApprovalDecision from an untrusted source and keeps it for inspection', async () => {
    // Arrange
    const order = await submit('untrusted');

    // Act
    const put = await clients.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'orders',
            Source: 'com.evil.approver',
            DetailType: 'ApprovalDecision',
            Detail: JSON.stringify({
              approvalId: order.approvalId,
              decision: 'approve',
              approver: 'mallory',
            }),
          },
        ],
      }),
    );
    const eventId = put.Entries?.[0]?.EventId ?? '';
    const kept = await eventually(
      async () => {
        const answer = await callApi(witness, baseUrl, 'GET', '/rejected-events', { token: tokens.alice });
        return ((answer.body['items'] ?? []) as Record<string, unknown>[]).find(
          (e) => e['eventId'] === eventId,
        );
      },
      'the untrusted event kept as a rejected-event',
      30_000,
      250,
    );
    const after = await getApproval(order.approvalId);

    // Assert
    expect(kept).toMatchObject({ source: 'com.evil.approver', reason: 'untrusted source com.evil.approver' });
    expect(after.body['status']).toBe('pending');
  });

  it('records a redelivered approval request once', async () => {
    // Arrange
    const order = await submit('redelivery');

    // Act
    await clients.sqs.send(
      new SendMessageCommand({ QueueUrl: order.queueUrl, MessageBody: JSON.stringify(order.message) }),
    );
    const audit = await eventually(
      async () => {
        const answer = await callApi(witness, baseUrl, 'GET', `/approvals/${order.approvalId}/audit`, {
          token: tokens.alice,
        });
        // The redelivery is consumed once the logs show the dispatcher handled it.
        const logs = await fetch(`${cloud.endpoint}/_local/logs?limit=1000`).then((r) => r.text());
        return logs.includes('redelivered approval request') ? answer : undefined;
      },
      'the redelivered request to be consumed',
      30_000,
      250,
    );
    const list = await callApi(witness, baseUrl, 'GET', '/approvals?status=pending&limit=100', {
      token: tokens.alice,
    });

    // Assert
    const mine = ((list.body['items'] ?? []) as Record<string, unknown>[]).filter(
      (a) => a['orderId'] === order.orderId,
    );
    expect(mine).toHaveLength(1);
    const actions = ((audit.body['items'] ?? []) as Record<string, unknown>[]).map((e) => e['action']);
    expect(actions).toStrictEqual(['requested']);
  });

  it('never shows a task token in a response, a URL or a log line', async () => {
    // Arrange
    const logs = await fetch(`${cloud.endpoint}/_local/logs?limit=100000`).then((r) => r.text());

    // Act
    const everything = [...witness.responses, logs, cloud.output()];

    // Assert
    expect(witness.taskTokens.size).toBeGreaterThan(0);
    expect(logs).toContain('approval recorded');
    for (const token of witness.taskTokens) {
      expect(everything.filter((text) => text.includes(token))).toStrictEqual([]);
    }
  });
});
