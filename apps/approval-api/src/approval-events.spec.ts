import { deriveApprovalId, type RecordedDecision } from '@flow/contracts';
import { buildEventBridgeEvent } from '@flow/testing';
import { handleApprovalEvent, withoutSecrets } from './approval-events';
import { InMemoryApprovalStore } from './test-support/in-memory-approval-store';
import {
  APPROVAL_ID,
  now,
  pendingApproval,
  RecordingTaskTokenClient,
  TASK_TOKEN,
} from './test-support/fixtures';

const TRUSTED = 'com.example.credit';

const setup = () => {
  const store = new InMemoryApprovalStore();
  store.add(pendingApproval(), TASK_TOKEN);
  const tokens = new RecordingTaskTokenClient();
  return { store, tokens, deps: { store, tokens, now, trustedSources: new Set([TRUSTED]) } };
};

const decisionEvent = (source: string, detail: Record<string, unknown>) =>
  buildEventBridgeEvent({ detailType: 'ApprovalDecision', source, detail, id: 'evt-42' });

describe('handleApprovalEvent', () => {
  it('applies an ApprovalDecision from a trusted source through the decision path', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    const event = decisionEvent(TRUSTED, {
      approvalId: APPROVAL_ID,
      decision: 'approve',
      approver: 'credit-bot',
    });
    // Act
    const result = await handleApprovalEvent(event, deps);
    // Assert
    const decision: RecordedDecision = {
      decision: 'approve',
      approver: 'com.example.credit:credit-bot',
      comment: '',
      decidedAt: '2026-11-24T10:00:00.000Z',
      channel: 'event',
    };
    expect(result).toStrictEqual({
      kind: 'decision',
      eventId: 'evt-42',
      outcome: { kind: 'ok', approval: pendingApproval({ status: 'approved', decision }) },
    });
    expect(tokens.calls).toStrictEqual([
      { operation: 'complete', taskToken: TASK_TOKEN, payload: { approvalId: APPROVAL_ID, ...decision } },
    ]);
    expect(store.audit.map((entry) => entry.actor)).toStrictEqual(['com.example.credit:credit-bot']);
  });

  it('ignores an ApprovalDecision from an untrusted source and keeps it, without secrets, for inspection', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    const event = decisionEvent('com.evil.approver', {
      approvalId: APPROVAL_ID,
      decision: 'approve',
      approver: 'mallory',
      taskToken: 'stolen-token-value',
    });
    // Act
    const result = await handleApprovalEvent(event, deps);
    // Assert
    expect(result).toStrictEqual({
      kind: 'kept',
      eventId: 'evt-42',
      reason: 'untrusted source com.evil.approver',
    });
    expect(tokens.calls).toStrictEqual([]);
    expect(await store.get(APPROVAL_ID)).toStrictEqual(pendingApproval());
    expect(store.rejectedEvents).toStrictEqual([
      {
        eventId: 'evt-42',
        source: 'com.evil.approver',
        detailType: 'ApprovalDecision',
        receivedAt: '2026-11-24T10:00:00.000Z',
        reason: 'untrusted source com.evil.approver',
        event: {
          ...event,
          detail: {
            approvalId: APPROVAL_ID,
            decision: 'approve',
            approver: 'mallory',
            taskToken: '[REDACTED]',
          },
        },
      },
    ]);
  });

  it('keeps an ApprovalDecision from a trusted source whose detail is invalid, naming the field', async () => {
    // Arrange
    const { tokens, deps } = setup();
    const event = decisionEvent(TRUSTED, {
      approvalId: APPROVAL_ID,
      decision: 'yes',
      approver: 'credit-bot',
    });
    // Act
    const result = await handleApprovalEvent(event, deps);
    // Assert
    expect(result).toStrictEqual({
      kind: 'kept',
      eventId: 'evt-42',
      reason: 'invalid ApprovalDecision detail: decision',
    });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('marks the approval expired when the workflow reports OrderExpired', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-7';
    const approvalId = await deriveApprovalId(executionId);
    store.add(pendingApproval({ approvalId, executionId, orderId: 'o-7' }), TASK_TOKEN);
    const event = buildEventBridgeEvent({
      detailType: 'OrderExpired',
      source: 'com.example.workflow',
      id: 'evt-7',
      detail: { orderId: 'o-7', executionId, error: 'States.Timeout' },
    });
    // Act
    const result = await handleApprovalEvent(event, {
      store,
      tokens: new RecordingTaskTokenClient(),
      now,
      trustedSources: new Set(),
    });
    // Assert
    expect(result).toStrictEqual({ kind: 'expiry', eventId: 'evt-7', approvalId, status: 'expired' });
    expect(store.audit).toStrictEqual([
      {
        approvalId,
        orderId: 'o-7',
        at: '2026-11-24T10:00:00.000Z',
        action: 'expired',
        actor: 'workflow',
        note: 'AwaitApproval ended with States.Timeout',
      },
    ]);
  });

  it('marks a pending approval expired when its workflow reports OrderFailed', async () => {
    // Arrange
    const store = new InMemoryApprovalStore();
    const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-8';
    const approvalId = await deriveApprovalId(executionId);
    store.add(pendingApproval({ approvalId, executionId, orderId: 'o-8' }), TASK_TOKEN);
    const event = buildEventBridgeEvent({
      detailType: 'OrderFailed',
      source: 'com.example.workflow',
      id: 'evt-8',
      detail: { orderId: 'o-8', executionId, error: 'States.Runtime' },
    });
    // Act
    const result = await handleApprovalEvent(event, {
      store,
      tokens: new RecordingTaskTokenClient(),
      now,
      trustedSources: new Set(),
    });
    // Assert
    expect(result).toStrictEqual({ kind: 'expiry', eventId: 'evt-8', approvalId, status: 'expired' });
    expect(store.audit.map((entry) => entry.note)).toStrictEqual(['the workflow failed with States.Runtime']);
  });

  it('ignores an OrderFailed of an execution that never asked for approval, without keeping it', async () => {
    // Arrange
    const { store, deps } = setup();
    const event = buildEventBridgeEvent({
      detailType: 'OrderFailed',
      source: 'com.example.workflow',
      id: 'evt-9',
      detail: {
        executionId: 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:x',
        error: 'ValidationError',
      },
    });
    // Act
    const result = await handleApprovalEvent(event, deps);
    // Assert
    expect(result).toStrictEqual({ kind: 'unrelated', eventId: 'evt-9' });
    expect(store.rejectedEvents).toStrictEqual([]);
  });

  it('heartbeats every pending approval when the keepalive schedule fires', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    const event = buildEventBridgeEvent({
      detailType: 'Scheduled Event',
      source: 'aws.events',
      id: 'evt-tick',
      detail: {},
    });
    // Act
    const result = await handleApprovalEvent(event, deps);
    // Assert
    expect(result).toStrictEqual({
      kind: 'keepalive',
      eventId: 'evt-tick',
      summary: { pending: 1, heartbeats: 1, expired: 0, failed: [] },
    });
    expect(tokens.calls).toStrictEqual([{ operation: 'heartbeat', taskToken: TASK_TOKEN }]);
    expect(store.rejectedEvents).toStrictEqual([]);
  });

  it('keeps a Scheduled Event that does not come from EventBridge itself, and heartbeats nothing', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    const event = buildEventBridgeEvent({
      detailType: 'Scheduled Event',
      source: 'com.example.credit',
      id: 'evt-fake-tick',
      detail: {},
    });
    // Act
    const result = await handleApprovalEvent(event, deps);
    // Assert
    expect(result).toStrictEqual({
      kind: 'kept',
      eventId: 'evt-fake-tick',
      reason: 'unexpected detail-type Scheduled Event',
    });
    expect(tokens.calls).toStrictEqual([]);
    expect(store.rejectedEvents).toHaveLength(1);
  });

  it('fails when the input is not an EventBridge event', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const attempt = handleApprovalEvent({ hello: 'world' }, deps);
    // Assert
    await expect(attempt).rejects.toThrow('not an EventBridge event: invalid version, id, detail-type');
  });
});

describe('withoutSecrets', () => {
  it('redacts secret-looking keys at any depth and keeps everything else', () => {
    // Act
    const cleaned = withoutSecrets({ a: 1, nested: [{ TaskToken: 'x', password: 'y', keep: 'z' }] });
    // Assert
    expect(cleaned).toStrictEqual({
      a: 1,
      nested: [{ TaskToken: '[REDACTED]', password: '[REDACTED]', keep: 'z' }],
    });
  });
});
