import type { ApiErrorBody, ApprovalRecord } from '@flow/contracts';
import type { ApprovalOutcome } from '../outcomes';
import type { HttpResponse } from './http-types';

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

/** A JSON response. */
export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/** An error response in the API's error shape. */
export const problem = (
  statusCode: number,
  error: string,
  message: string,
  extra: Pick<ApiErrorBody, 'fields' | 'approval'> = {},
  headers: Record<string, string> = {},
): HttpResponse => json(statusCode, { error, message, ...extra } satisfies ApiErrorBody, headers);

export const badRequest = (message: string, fields: string[]): HttpResponse =>
  problem(400, 'BadRequest', message, { fields });

/**
 * 401 with the RFC 6750 challenge: `Bearer` alone when the request had no credentials, with `error="…"` when they
 * were malformed (`invalid_request`) or did not verify (`invalid_token`).
 */
export const unauthorized = (
  message: string,
  bearerError: 'invalid_request' | 'invalid_token' | undefined,
): HttpResponse =>
  problem(
    401,
    'Unauthorized',
    message,
    {},
    { 'www-authenticate': bearerError === undefined ? 'Bearer' : `Bearer error="${bearerError}"` },
  );

export const forbidden = (message: string): HttpResponse => problem(403, 'Forbidden', message);

export const notFound = (message: string): HttpResponse => problem(404, 'NotFound', message);

export const methodNotAllowed = (allowed: readonly string[]): HttpResponse =>
  problem(405, 'MethodNotAllowed', `use ${allowed.join(' or ')}`, {}, { allow: allowed.join(', ') });

/** Maps the outcome of an action on an approval to its HTTP answer. */
export const fromOutcome = (outcome: ApprovalOutcome): HttpResponse => {
  switch (outcome.kind) {
    case 'ok':
      return json(200, outcome.approval satisfies ApprovalRecord);
    case 'not-found':
      return notFound(`no approval ${outcome.approvalId}`);
    case 'forbidden':
      return forbidden(outcome.reason);
    case 'conflict':
      return problem(409, 'Conflict', `approval is already ${outcome.approval.status}`, {
        approval: outcome.approval,
      });
    case 'gone':
      return problem(410, 'Gone', 'approval expired: the workflow no longer waits for a decision', {
        approval: outcome.approval,
      });
  }
};
