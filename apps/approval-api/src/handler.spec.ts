import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ApprovalItemKeys, type ApprovalRecord, LocalIdentity } from '@flow/contracts';
import {
  buildEventBridgeEvent,
  buildFunctionUrlEvent,
  captureOutput,
  createLambdaContext,
  parseJsonLines,
} from '@flow/testing';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { generateSigningKeys, issueToken, type SigningKeys } from './identity';
import { APPROVAL_ID, pendingApproval, TASK_TOKEN } from './test-support/fixtures';

const TABLE = 'approvals-table';
const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
let keys: SigningKeys;
let forgeryKeys: SigningKeys;

beforeAll(async () => {
  keys = await generateSigningKeys(LocalIdentity.keyId);
  forgeryKeys = await generateSigningKeys(LocalIdentity.keyId);
  process.env['APPROVALS_TABLE_NAME'] = TABLE;
  process.env['JWT_ISSUER'] = LocalIdentity.issuer;
  process.env['JWT_AUDIENCE'] = LocalIdentity.audience;
  process.env['JWT_PUBLIC_JWKS'] = JSON.stringify(keys.publicJwks);
  process.env['TRUSTED_DECISION_SOURCES'] = 'com.example.credit, com.example.compliance';
});

const tokenFor = (sub: string, roles: string[], signWith: SigningKeys = keys) =>
  issueToken({
    privateJwk: signWith.privateJwk,
    issuer: LocalIdentity.issuer,
    audience: LocalIdentity.audience,
    claims: { sub, name: sub, roles },
  });

const item = (approval: ApprovalRecord) => ({
  ...ApprovalItemKeys.approval(approval.approvalId),
  ...ApprovalItemKeys.byStatus(approval.status, approval.requestedAt, approval.approvalId),
  type: 'approval',
  requestedEventPublished: true,
  ...approval,
});

/** Far-future expiry, so the handler's real clock never finds the approval expired. */
const pending = pendingApproval({ expiresAt: '2999-01-01T00:00:00.000Z' });

const givenStoredApproval = (approval: ApprovalRecord = pending) => {
  dynamo
    .on(GetCommand)
    .callsFake((input: { Key: { sk: string } }) =>
      input.Key.sk === 'TOKEN'
        ? { Item: { taskToken: TASK_TOKEN } }
        : input.Key.sk === 'APPROVAL'
          ? { Item: item(approval) }
          : {},
    );
};

const invokeHttp = async (event: LambdaFunctionURLEvent) => {
  const { handler } = await import('./handler');
  return handler(event, createLambdaContext({ functionName: 'approval-api' }));
};

const invokeEvents = async (event: unknown) => {
  const { eventHandler } = await import('./handler');
  return eventHandler(event, createLambdaContext({ functionName: 'approval-events' }));
};

const decisionRequest = async (sub: string, body: unknown) =>
  buildFunctionUrlEvent({
    method: 'POST',
    path: `/approvals/${APPROVAL_ID}/decision`,
    headers: { authorization: `Bearer ${await tokenFor(sub, ['approver'])}` },
    body,
  });

const parseBody = (result: unknown): unknown =>
  JSON.parse(
    typeof result === 'object' && result !== null && 'body' in result ? String(result.body) : 'null',
  );

beforeEach(() => {
  dynamo.reset();
  sfn.reset();
  dynamo.on(PutCommand).resolves({});
});

describe('approval-api handler (function URL)', () => {
  it('approves: conditional write pending→approved, then SendTaskSuccess with the decision output', async () => {
    // Arrange
    givenStoredApproval();
    dynamo.on(UpdateCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({
      Attributes: item({
        ...pending,
        status: 'approved',
        decision: input.ExpressionAttributeValues[':decision'] as ApprovalRecord['decision'],
      } as ApprovalRecord),
    }));
    sfn.on(SendTaskSuccessCommand).resolves({});
    // Act
    const result = await invokeHttp(await decisionRequest('alice', { decision: 'approve', comment: 'ok' }));
    // Assert
    expect(result).toMatchObject({ statusCode: 200 });
    const update = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.ConditionExpression).toBe('attribute_exists(#pkName) AND (#status = :pending)');
    expect(update?.Key).toStrictEqual(ApprovalItemKeys.approval(APPROVAL_ID));
    const success = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(success?.taskToken).toBe(TASK_TOKEN);
    expect(JSON.parse(success?.output ?? '{}')).toMatchObject({
      approvalId: APPROVAL_ID,
      decision: 'approve',
      approver: 'alice',
      comment: 'ok',
      channel: 'http',
    });
    const audit = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(audit).toMatchObject([
      { type: 'audit', action: 'decided', actor: 'alice', gsi1pk: 'ORDER#o-1001' },
    ]);
  });

  it('fails with 409 and the winner when the conditional write loses a race', async () => {
    // Arrange
    const winner: ApprovalRecord = {
      ...pending,
      status: 'rejected',
      decision: {
        decision: 'reject',
        approver: 'bob',
        comment: '',
        decidedAt: '2026-11-24T10:00:00.000Z',
        channel: 'http',
      },
    };
    let reads = 0;
    dynamo.on(GetCommand).callsFake(() => ({ Item: item((reads += 1) === 1 ? pending : winner) }));
    dynamo
      .on(UpdateCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );
    // Act
    const result = await invokeHttp(await decisionRequest('alice', { decision: 'approve' }));
    // Assert
    expect(result).toMatchObject({ statusCode: 409 });
    expect(parseBody(result)).toStrictEqual({
      error: 'Conflict',
      message: 'approval is already rejected',
      approval: winner,
    });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('fails with 410 when SendTaskSuccess answers TaskTimedOut, and marks the approval expired', async () => {
    // Arrange
    givenStoredApproval();
    dynamo.on(UpdateCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => {
      const expiredAt = input.ExpressionAttributeValues[':expiredAt'];
      return typeof expiredAt === 'string'
        ? { Attributes: item({ ...pending, status: 'expired', expiredAt }) }
        : { Attributes: item({ ...pending, status: 'approved' }) };
    });
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    // Act
    const result = await invokeHttp(await decisionRequest('alice', { decision: 'approve' }));
    // Assert
    expect(result).toMatchObject({ statusCode: 410 });
    const updates = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues);
    expect(updates[1]).toMatchObject({ ':expired': 'expired', ':expected': 'approved' });
    expect(parseBody(result)).toMatchObject({ error: 'Gone', approval: { status: 'expired' } });
  });

  it('fails with 503 (retryable) when DynamoDB is unavailable, without details', async () => {
    // Arrange
    dynamo.on(GetCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    // Act
    const result = await invokeHttp(await decisionRequest('alice', { decision: 'approve' }));
    // Assert
    expect(result).toMatchObject({ statusCode: 503 });
    expect(parseBody(result)).toStrictEqual({
      error: 'ServiceUnavailable',
      message: 'the approval service could not complete the request; retry',
    });
  });

  it('never puts the task token into a response body or a log line', async () => {
    // Arrange
    givenStoredApproval();
    dynamo.on(UpdateCommand).resolves({ Attributes: item({ ...pending, status: 'approved' }) });
    dynamo.on(QueryCommand).resolves({ Items: [item(pending)] });
    sfn
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: `Task Timed Out for ${TASK_TOKEN}`, $metadata: {} }));
    const aliceToken = await tokenFor('alice', ['approver']);
    const auth = { authorization: `Bearer ${aliceToken}` };
    const requests = [
      buildFunctionUrlEvent({ method: 'GET', path: '/approvals?status=pending', headers: auth }),
      buildFunctionUrlEvent({ method: 'GET', path: `/approvals/${APPROVAL_ID}`, headers: auth }),
      buildFunctionUrlEvent({ method: 'GET', path: `/approvals/${APPROVAL_ID}/audit`, headers: auth }),
      await decisionRequest('alice', { decision: 'approve' }),
      buildFunctionUrlEvent({
        method: 'POST',
        path: `/approvals/${APPROVAL_ID}/decision`,
        headers: { authorization: `Bearer ${await tokenFor('alice', ['approver'], forgeryKeys)}` },
        body: { decision: 'approve' },
      }),
    ];
    const bodies: string[] = [];
    // Act
    const lines = await captureOutput(async () => {
      for (const event of requests) bodies.push(JSON.stringify(await invokeHttp(event)));
    });
    // Assert
    expect(bodies).toHaveLength(5);
    expect(lines.length).toBeGreaterThan(0);
    expect([...bodies, ...lines].filter((text) => text.includes(TASK_TOKEN))).toStrictEqual([]);
  });
});

describe('approval-api metrics', () => {
  const warnings = (lines: readonly string[]) =>
    parseJsonLines(lines).filter((line) => line['level'] === 'WARN' || line['level'] === 'ERROR');
  const metricNames = (lines: readonly string[]) =>
    parseJsonLines(lines).flatMap((line) => {
      const aws = line['_aws'] as { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] } | undefined;
      return (aws?.CloudWatchMetrics ?? []).flatMap((m) => (m.Metrics ?? []).map((metric) => metric.Name));
    });

  it('counts a read request, so it logs no "No application metrics" WARN', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [item(pending)] });
    const request = buildFunctionUrlEvent({
      method: 'GET',
      path: '/approvals?status=pending',
      headers: { authorization: `Bearer ${await tokenFor('alice', ['approver'])}` },
    });
    // Act
    const lines = await captureOutput(async () => {
      await invokeHttp(request);
    });
    // Assert
    expect(warnings(lines)).toStrictEqual([]);
    expect(metricNames(lines)).toContain('ApprovalApiRequests');
  });

  it('counts an OrderFailed event of an order that never waited for an approval, with no WARN', async () => {
    // Arrange
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(GetCommand).resolves({});
    const event = buildEventBridgeEvent({
      detailType: 'OrderFailed',
      source: 'com.example.workflow',
      detail: {
        orderId: 'ord-9',
        executionId: 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:run-9',
        error: 'ValidationError',
        cause: 'bad order',
      },
    });
    // Act
    let result: unknown;
    const lines = await captureOutput(async () => {
      result = await invokeEvents(event);
    });
    // Assert
    expect(result).toStrictEqual({ kind: 'unrelated' });
    expect(warnings(lines)).toStrictEqual([]);
    expect(metricNames(lines)).toContain('ApprovalEventsReceived');
  });
});

describe('approval-api eventHandler (EventBridge)', () => {
  it('ignores an ApprovalDecision from an untrusted source and keeps it as a rejected-event item', async () => {
    // Arrange
    givenStoredApproval();
    const event = buildEventBridgeEvent({
      detailType: 'ApprovalDecision',
      source: 'com.evil.approver',
      id: 'evt-evil',
      detail: { approvalId: APPROVAL_ID, decision: 'approve', approver: 'mallory' },
    });
    // Act
    const lines = await captureOutput(async () => {
      await invokeEvents(event);
    });
    // Assert
    const kept = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(kept).toMatchObject([
      {
        pk: 'REJECTED_EVENT#evt-evil',
        sk: 'EVENT',
        gsi1pk: 'REJECTED_EVENTS',
        type: 'rejected-event',
        source: 'com.evil.approver',
        reason: 'untrusted source com.evil.approver',
        event,
      },
    ]);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(lines.some((line) => line.includes('kept for inspection') && line.includes('evt-evil'))).toBe(
      true,
    );
  });

  it('applies an ApprovalDecision from a trusted source', async () => {
    // Arrange
    givenStoredApproval();
    dynamo.on(UpdateCommand).resolves({ Attributes: item({ ...pending, status: 'approved' }) });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const event = buildEventBridgeEvent({
      detailType: 'ApprovalDecision',
      source: 'com.example.compliance',
      detail: { approvalId: APPROVAL_ID, decision: 'approve', approver: 'kyc-engine', comment: 'clean' },
    });
    // Act
    const result = await invokeEvents(event);
    // Assert
    expect(result).toStrictEqual({ kind: 'decision' });
    const output = JSON.parse(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output ?? '{}');
    expect(output).toMatchObject({
      approver: 'com.example.compliance:kyc-engine',
      channel: 'event',
      comment: 'clean',
    });
  });
});
