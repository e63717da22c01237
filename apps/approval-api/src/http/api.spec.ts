import type { RecordedDecision } from '@flow/contracts';
import { LocalIdentity } from '@flow/contracts';
import { createTokenVerifier, generateSigningKeys, issueToken, type SigningKeys } from '../identity';
import { TaskTokenExpiredError } from '../task-token-client';
import { InMemoryApprovalStore } from '../test-support/in-memory-approval-store';
import {
  APPROVAL_ID,
  NOW,
  now,
  pendingApproval,
  RecordingTaskTokenClient,
  TASK_TOKEN,
} from '../test-support/fixtures';
import { handleHttpRequest } from './api';
import type { HttpRequest } from './http-types';

const { issuer, audience } = LocalIdentity;
let keys: SigningKeys;
let otherKeys: SigningKeys;

beforeAll(async () => {
  keys = await generateSigningKeys('test-key');
  otherKeys = await generateSigningKeys('test-key');
});

const tokenFor = (sub: string, roles: string[], signWith: SigningKeys = keys) =>
  issueToken({ privateJwk: signWith.privateJwk, issuer, audience, claims: { sub, name: sub, roles }, now });

const setup = () => {
  const store = new InMemoryApprovalStore();
  store.add(pendingApproval(), TASK_TOKEN);
  const tokens = new RecordingTaskTokenClient();
  const deps = {
    store,
    tokens,
    now,
    verify: createTokenVerifier({ issuer, audience, jwks: keys.publicJwks, now }),
  };
  return { store, tokens, deps };
};

const request = (
  method: string,
  path: string,
  options: { token?: string; body?: unknown; query?: Record<string, string> } = {},
): HttpRequest => ({
  method,
  path,
  query: options.query ?? {},
  headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
  body:
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body),
});

const bodyOf = (response: { body: string }): unknown => JSON.parse(response.body);

describe('approvals HTTP API', () => {
  it('lists pending approvals without any task token', async () => {
    // Arrange
    const { deps } = setup();
    const token = await tokenFor('alice', ['approver']);
    // Act
    const response = await handleHttpRequest(
      request('GET', '/approvals', { token, query: { status: 'pending' } }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toStrictEqual({ items: [pendingApproval()] });
    expect(response.body).not.toContain(TASK_TOKEN);
  });

  it('returns one approval by id', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('GET', `/approvals/${APPROVAL_ID}`, { token: await tokenFor('carol', ['requester']) }),
      deps,
    );
    // Assert
    expect(response).toStrictEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(pendingApproval()),
    });
  });

  it('approves: 200 with the decided approval, the workflow resumed with the decision', async () => {
    // Arrange
    const { tokens, deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/decision`, {
        token: await tokenFor('alice', ['approver']),
        body: { decision: 'approve', comment: 'ok' },
      }),
      deps,
    );
    // Assert
    const decision: RecordedDecision = {
      decision: 'approve',
      approver: 'alice',
      comment: 'ok',
      decidedAt: NOW.toISOString(),
      channel: 'http',
    };
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toStrictEqual(pendingApproval({ status: 'approved', decision }));
    expect(tokens.calls).toStrictEqual([
      { operation: 'complete', taskToken: TASK_TOKEN, payload: { approvalId: APPROVAL_ID, ...decision } },
    ]);
  });

  it('rejects: 200 with status rejected', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/decision`, {
        token: await tokenFor('bob', ['approver']),
        body: { decision: 'reject', comment: 'too risky' },
      }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toMatchObject({
      status: 'rejected',
      decision: { decision: 'reject', approver: 'bob' },
    });
  });

  it('fails with 409 and the current state for the loser of two racing approvers', async () => {
    // Arrange
    const { store, deps } = setup();
    const [aliceToken, bobToken] = await Promise.all([
      tokenFor('alice', ['approver']),
      tokenFor('bob', ['approver']),
    ]);
    // Act
    const responses = await Promise.all([
      handleHttpRequest(
        request('POST', `/approvals/${APPROVAL_ID}/decision`, {
          token: aliceToken,
          body: { decision: 'approve' },
        }),
        deps,
      ),
      handleHttpRequest(
        request('POST', `/approvals/${APPROVAL_ID}/decision`, {
          token: bobToken,
          body: { decision: 'reject' },
        }),
        deps,
      ),
    ]);
    // Assert
    expect(responses.map((response) => response.statusCode).sort()).toStrictEqual([200, 409]);
    const loser = responses.find((response) => response.statusCode === 409);
    expect(loser === undefined ? undefined : bodyOf(loser)).toStrictEqual({
      error: 'Conflict',
      message: `approval is already ${(await store.get(APPROVAL_ID))?.status ?? '?'}`,
      approval: await store.get(APPROVAL_ID),
    });
  });

  it('fails with 403 when the requester tries to approve their own order', async () => {
    // Arrange
    const { tokens, deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/decision`, {
        token: await tokenFor('carol', ['approver', 'requester']),
        body: { decision: 'approve' },
      }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(403);
    expect(bodyOf(response)).toStrictEqual({
      error: 'Forbidden',
      message: 'the requester of an order may not decide on it',
    });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('fails with 403 when a caller without the approver role decides', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/decision`, {
        token: await tokenFor('dave', ['reviewer']),
        body: { decision: 'approve' },
      }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(403);
  });

  it.each([
    // RFC 6750 3.1: no error code when the request carried no credentials at all
    ['no Authorization header', undefined, 'missing bearer token (Authorization: Bearer <jwt>)', 'Bearer'],
    [
      'a token that is not a JWT',
      'not-a-jwt',
      'Authorization header is not "Bearer <jwt>"',
      'Bearer error="invalid_request"',
    ],
  ])('fails with 401 with %s', async (_, token, message, challenge) => {
    // Arrange
    const { deps } = setup();
    const base = request('GET', '/approvals');
    // Act
    const response = await handleHttpRequest(
      { ...base, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      deps,
    );
    // Assert
    expect(response).toStrictEqual({
      statusCode: 401,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'www-authenticate': challenge,
      },
      body: JSON.stringify({ error: 'Unauthorized', message }),
    });
  });

  it('fails with 401 for a forged token (signed by a key the API does not trust)', async () => {
    // Arrange
    const { tokens, deps } = setup();
    const forged = await tokenFor('alice', ['approver'], otherKeys);
    // Act
    const response = await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/decision`, { token: forged, body: { decision: 'approve' } }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response)).toStrictEqual({
      error: 'Unauthorized',
      message: 'token signature is not valid',
    });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('fails with 401 for a token of another audience', async () => {
    // Arrange
    const { deps } = setup();
    const token = await issueToken({
      privateJwk: keys.privateJwk,
      issuer,
      audience: 'some-other-api',
      claims: { sub: 'alice', name: 'Alice', roles: ['approver'] },
      now,
    });
    // Act
    const response = await handleHttpRequest(request('GET', '/approvals', { token }), deps);
    // Assert
    expect(bodyOf(response)).toStrictEqual({
      error: 'Unauthorized',
      message: 'token claim "aud" is not accepted',
    });
  });

  it('fails with 401 for an expired token', async () => {
    // Arrange
    const { deps } = setup();
    const token = await issueToken({
      privateJwk: keys.privateJwk,
      issuer,
      audience,
      claims: { sub: 'alice', name: 'Alice', roles: ['approver'] },
      expiresInSeconds: 60,
      now: () => new Date(NOW.getTime() - 3_600_000),
    });
    // Act
    const response = await handleHttpRequest(request('GET', '/approvals', { token }), deps);
    // Assert
    expect(bodyOf(response)).toStrictEqual({ error: 'Unauthorized', message: 'token expired' });
  });

  it.each([
    ['GET', '/approvals/apr_ffffffffffffffffffffffffffffffff'],
    ['GET', '/approvals/not-an-approval-id'],
    ['POST', '/approvals/apr_ffffffffffffffffffffffffffffffff/decision'],
  ])('fails with 404 for %s %s', async (method, path) => {
    // Arrange
    const { deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request(method, path, { token: await tokenFor('alice', ['approver']), body: { decision: 'approve' } }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(404);
    expect(bodyOf(response)).toMatchObject({ error: 'NotFound' });
  });

  it('fails with 410 when the workflow answers TaskTimedOut, and the approval is then expired', async () => {
    // Arrange
    const { store, tokens, deps } = setup();
    tokens.failWith = new TaskTokenExpiredError('SendTaskSuccess: the task timed out or was already closed');
    // Act
    const response = await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/decision`, {
        token: await tokenFor('alice', ['approver']),
        body: { decision: 'approve' },
      }),
      deps,
    );
    // Assert
    const expired = pendingApproval({ status: 'expired', expiredAt: NOW.toISOString() });
    expect(response.statusCode).toBe(410);
    expect(bodyOf(response)).toStrictEqual({
      error: 'Gone',
      message: 'approval expired: the workflow no longer waits for a decision',
      approval: expired,
    });
    expect(await store.get(APPROVAL_ID)).toStrictEqual(expired);
  });

  it.each([
    [{ decision: 'maybe' }, ['decision']],
    [{ comment: 'no decision' }, ['decision']],
    [{ decision: 'approve', extra: true }, ['extra']],
    ['{not json', ['body']],
  ])('fails with 400 naming the field for the body %j', async (body, fields) => {
    // Arrange
    const { tokens, deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/decision`, {
        token: await tokenFor('alice', ['approver']),
        body,
      }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: 'BadRequest', fields });
    expect(tokens.calls).toStrictEqual([]);
  });

  it('fails with 400 for an unknown status filter', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('GET', '/approvals', {
        token: await tokenFor('alice', ['approver']),
        query: { status: 'done' },
      }),
      deps,
    );
    // Assert
    expect(bodyOf(response)).toMatchObject({ error: 'BadRequest', fields: ['status'] });
  });

  it('records a heartbeat and returns the audit trail per approval and per order', async () => {
    // Arrange
    const { deps } = setup();
    const daveToken = await tokenFor('dave', ['reviewer']);
    await handleHttpRequest(
      request('POST', `/approvals/${APPROVAL_ID}/heartbeat`, {
        token: daveToken,
        body: { note: 'still checking' },
      }),
      deps,
    );
    // Act
    const byApproval = await handleHttpRequest(
      request('GET', `/approvals/${APPROVAL_ID}/audit`, { token: daveToken }),
      deps,
    );
    const byOrder = await handleHttpRequest(
      request('GET', '/orders/o-1001/audit', { token: daveToken }),
      deps,
    );
    // Assert
    const expected = {
      items: [
        {
          approvalId: APPROVAL_ID,
          orderId: 'o-1001',
          at: NOW.toISOString(),
          action: 'heartbeat',
          actor: 'dave',
          note: 'still checking',
        },
      ],
    };
    expect(bodyOf(byApproval)).toStrictEqual(expected);
    expect(bodyOf(byOrder)).toStrictEqual(expected);
  });

  it('fails with 405 for a wrong method on a known route', async () => {
    // Arrange
    const { deps } = setup();
    // Act
    const response = await handleHttpRequest(
      request('GET', `/approvals/${APPROVAL_ID}/decision`, { token: await tokenFor('alice', ['approver']) }),
      deps,
    );
    // Assert
    expect(response.statusCode).toBe(405);
    expect(response.headers['allow']).toBe('POST');
  });
});
