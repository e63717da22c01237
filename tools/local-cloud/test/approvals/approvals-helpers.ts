import { execFile } from 'node:child_process';
import { type HistoryEvent } from '@aws-sdk/client-sfn';
import { type LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { generateKeyPair, SignJWT } from 'jose';
import { LocalIdentity } from '@flow/contracts';
import { localFunctionUrl } from '../../src/api/function-url';
import { buildEntry, eventually, REPO_ROOT } from '../e2e/harness';
import { type Clients, executionFor, history, publish, sampleOrder } from '../e2e/workflow-helpers';

/**
 * Helpers of the approvals end-to-end suite: the approvals HTTP API reached through the local cloud's function URL,
 * tokens from the local cloud's `token` command, and a log of everything the suite saw (to scan for task tokens).
 */

/** Every response body and every task token the suite saw. */
export interface Witness {
  readonly responses: string[];
  readonly taskTokens: Set<string>;
}

export const createWitness = (): Witness => ({ responses: [], taskTokens: new Set() });

/** The approval-api HTTP function: the one whose environment carries the JWT settings. */
export const approvalsApiUrl = async (endpoint: string, lambda: LambdaClient): Promise<string> => {
  const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
  const api = Functions.find((fn) => fn.Environment?.Variables?.['JWT_ISSUER'] !== undefined);
  if (api?.FunctionName === undefined) {
    throw new Error(`no function with JWT_ISSUER among ${Functions.map((fn) => fn.FunctionName).join(', ')}`);
  }
  return localFunctionUrl(endpoint, api.FunctionName).replace(/\/$/, '');
};

/** A bearer token for a local user, from `local-cloud token --user <user>` as a person would get one. */
export const localToken = (dataDir: string, user: string): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [buildEntry(), 'token', '--user', user, '--data-dir', dataDir],
      { cwd: REPO_ROOT, timeout: 30_000 },
      (error, stdout, stderr) =>
        error === null ? resolve(stdout.trim()) : reject(new Error(`${error.message}\n${stderr}`)),
    );
  });

/** A token with the right claims, signed by a key the local identity provider never had. */
export const forgedToken = async (user: string, roles: string[]): Promise<string> => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return new SignJWT({ name: user, roles })
    .setProtectedHeader({ alg: 'ES256', kid: LocalIdentity.keyId, typ: 'JWT' })
    .setSubject(user)
    .setIssuer(LocalIdentity.issuer)
    .setAudience(LocalIdentity.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
};

/** An HTTP answer of the approvals API. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Calls the approvals API and records the response body in the witness. */
export const callApi = async (
  witness: Witness,
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<ApiAnswer> => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  witness.responses.push(text);
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body };
};

/** The AwaitApproval TaskScheduled parameters: queue URL and message body (with the task token). */
export const awaitApprovalMessage = (
  events: readonly HistoryEvent[],
): { queueUrl: string; body: Record<string, unknown> } | undefined => {
  const scheduled = events.find(
    (e) =>
      e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resource === 'sendMessage.waitForTaskToken',
  );
  const parameters = scheduled?.taskScheduledEventDetails?.parameters;
  if (parameters === undefined) return undefined;
  const parsed = JSON.parse(parameters) as { QueueUrl?: string; MessageBody?: unknown };
  const body = typeof parsed.MessageBody === 'string' ? JSON.parse(parsed.MessageBody) : parsed.MessageBody;
  return { queueUrl: parsed.QueueUrl ?? '', body: body as Record<string, unknown> };
};

/** An order waiting for approval: its execution and its approval as the API lists it. */
export interface WaitingOrder {
  orderId: string;
  executionArn: string;
  approval: Record<string, unknown>;
  approvalId: string;
  queueUrl: string;
  message: Record<string, unknown>;
}

/**
 * Publishes an order that needs approval (requested by `requestedBy`) and waits until the approvals API lists its
 * approval as pending. Records the task token of the wait in the witness.
 */
export const submitOrderNeedingApproval = async (
  clients: Clients,
  witness: Witness,
  workflowArn: string,
  api: { baseUrl: string; token: string },
  orderId: string,
  requestedBy = 'carol',
): Promise<WaitingOrder> => {
  const entries = sampleOrder('order-needs-approval.json', orderId).map((entry) => ({
    ...entry,
    Detail: JSON.stringify({ ...(JSON.parse(entry.Detail) as object), requestedBy }),
  }));
  await publish(clients, entries);
  const executionArn = await executionFor(clients, workflowArn, orderId);
  const scheduled = await eventually(
    async () => awaitApprovalMessage(await history(clients, executionArn)),
    `AwaitApproval of ${orderId}`,
    60_000,
  );
  const token = scheduled.body['taskToken'];
  if (typeof token === 'string') witness.taskTokens.add(token);
  const approval = await eventually(
    async () => {
      const answer = await callApi(witness, api.baseUrl, 'GET', '/approvals?status=pending&limit=100', {
        token: api.token,
      });
      const items = (answer.body['items'] ?? []) as Record<string, unknown>[];
      return items.find((item) => item['orderId'] === orderId);
    },
    `pending approval of ${orderId}`,
    60_000,
    250,
  );
  return {
    orderId,
    executionArn,
    approval,
    approvalId: String(approval['approvalId']),
    queueUrl: scheduled.queueUrl,
    message: scheduled.body,
  };
};
