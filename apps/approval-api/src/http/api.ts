import {
  APPROVAL_ID_PATTERN,
  ApprovalStatusSchema,
  DecisionRequestBodySchema,
  HeartbeatRequestBodySchema,
  type IdentityClaims,
} from '@flow/contracts';
import type { z } from 'zod';
import { type Actor, canDecide, canRead } from '../actor';
import { decide } from '../decide';
import { heartbeat } from '../heartbeat';
import { type TokenVerifier, UnauthenticatedError } from '../identity';
import { type ApprovalStore, InvalidCursorError } from '../store/approval-store';
import type { TaskTokenClient } from '../task-token-client';
import type { HttpRequest, HttpResponse } from './http-types';
import {
  badRequest,
  forbidden,
  fromOutcome,
  json,
  methodNotAllowed,
  notFound,
  unauthorized,
} from './responses';

/** Dependencies of {@link handleHttpRequest}. */
export interface ApiDeps {
  readonly verify: TokenVerifier;
  readonly store: ApprovalStore;
  readonly tokens: TaskTokenClient;
  readonly now: () => Date;
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

const toActor = (claims: IdentityClaims): Actor => ({
  id: claims.sub,
  identities: [claims.sub],
  roles: claims.roles,
  channel: 'http',
});

/** Parses a JSON body with a schema; a 400 answer names the wrong fields. */
const parseBody = <T>(
  request: HttpRequest,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; response: HttpResponse } => {
  let raw: unknown = {};
  if (request.body !== undefined && request.body.trim() !== '') {
    try {
      raw = JSON.parse(request.body);
    } catch {
      return { ok: false, response: badRequest('request body is not valid JSON', ['body']) };
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields = [
    ...new Set(
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || 'body'],
      ),
    ),
  ];
  const details = parsed.error.issues.map((issue) => issue.message).join('; ');
  return { ok: false, response: badRequest(`invalid ${fields.join(', ')}: ${details}`, fields) };
};

type Route =
  | { name: 'list' }
  | { name: 'get'; approvalId: string }
  | { name: 'audit'; approvalId: string }
  | { name: 'decision'; approvalId: string }
  | { name: 'heartbeat'; approvalId: string }
  | { name: 'order-audit'; orderId: string }
  | { name: 'rejected-events' };

const ROUTE_METHODS: Record<Route['name'], string> = {
  list: 'GET',
  get: 'GET',
  audit: 'GET',
  decision: 'POST',
  heartbeat: 'POST',
  'order-audit': 'GET',
  'rejected-events': 'GET',
};

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/**
 * Matches the API's routes. Tolerates a prefix before `/approvals`, `/orders` or `/rejected-events` (a local
 * function-URL gateway may mount the function under a path) and a trailing slash.
 */
const matchRoute = (path: string): Route | undefined => {
  const match = /(?:^|\/)(approvals|orders|rejected-events)((?:\/[^/]+)*)\/?$/.exec(path);
  if (match === null) return undefined;
  const [, resource, rest = ''] = match;
  const segments = rest
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeSegment);
  if (segments.some((segment) => segment === undefined)) return undefined;
  const [first, second, ...more] = segments as string[];
  if (more.length > 0) return undefined;
  if (resource === 'rejected-events') return first === undefined ? { name: 'rejected-events' } : undefined;
  if (resource === 'orders') {
    return first !== undefined && second === 'audit' ? { name: 'order-audit', orderId: first } : undefined;
  }
  if (first === undefined) return { name: 'list' };
  if (second === undefined) return { name: 'get', approvalId: first };
  if (second === 'audit') return { name: 'audit', approvalId: first };
  if (second === 'decision') return { name: 'decision', approvalId: first };
  if (second === 'heartbeat') return { name: 'heartbeat', approvalId: first };
  return undefined;
};

const parseLimit = (value: string | undefined): number | undefined => {
  if (value === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(value);
  return Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE_SIZE ? limit : undefined;
};

const listApprovals = async (request: HttpRequest, deps: ApiDeps): Promise<HttpResponse> => {
  const status = ApprovalStatusSchema.safeParse(request.query['status'] ?? 'pending');
  if (!status.success) {
    return badRequest(`status must be one of ${ApprovalStatusSchema.options.join(', ')}`, ['status']);
  }
  const limit = parseLimit(request.query['limit']);
  if (limit === undefined)
    return badRequest(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, ['limit']);
  const cursor = request.query['cursor'];
  try {
    return json(
      200,
      await deps.store.listByStatus(status.data, { limit, ...(cursor === undefined ? {} : { cursor }) }),
    );
  } catch (error) {
    if (error instanceof InvalidCursorError) return badRequest(error.message, ['cursor']);
    throw error;
  }
};

/**
 * The approvals HTTP API, transport-neutral: authenticates every request (401), then routes it.
 *
 * - `GET /approvals?status=pending&limit=&cursor=` — approvals by status (oldest first), never a token;
 * - `GET /approvals/{id}`, `GET /approvals/{id}/audit`, `GET /orders/{orderId}/audit`;
 * - `POST /approvals/{id}/decision` `{decision: 'approve'|'reject', comment?}` — approver role only;
 * - `POST /approvals/{id}/heartbeat` `{note?}` — approver or reviewer role;
 * - `GET /rejected-events` — events kept for inspection (approver role).
 */
export const handleHttpRequest = async (request: HttpRequest, deps: ApiDeps): Promise<HttpResponse> => {
  let actor: Actor;
  try {
    actor = toActor(await deps.verify(request.headers['authorization']));
  } catch (error) {
    if (error instanceof UnauthenticatedError) return unauthorized(error.message, error.bearerError);
    throw error;
  }

  const route = matchRoute(request.path);
  if (route === undefined) return notFound(`no route for ${request.path}`);
  const method = ROUTE_METHODS[route.name];
  if (request.method.toUpperCase() !== method) return methodNotAllowed([method]);
  if (!canRead(actor)) return forbidden('no role of this service (approver, reviewer or requester)');

  switch (route.name) {
    case 'list':
      return listApprovals(request, deps);
    case 'get': {
      const approval = APPROVAL_ID_PATTERN.test(route.approvalId)
        ? await deps.store.get(route.approvalId)
        : undefined;
      return approval === undefined ? notFound(`no approval ${route.approvalId}`) : json(200, approval);
    }
    case 'audit': {
      const approval = APPROVAL_ID_PATTERN.test(route.approvalId)
        ? await deps.store.get(route.approvalId)
        : undefined;
      if (approval === undefined) return notFound(`no approval ${route.approvalId}`);
      return json(200, { items: await deps.store.auditOfApproval(route.approvalId) });
    }
    case 'order-audit':
      return json(200, { items: await deps.store.auditOfOrder(route.orderId) });
    case 'rejected-events':
      if (!canDecide(actor)) return forbidden('only the approver role may inspect rejected events');
      return json(200, { items: await deps.store.listRejectedEvents(MAX_PAGE_SIZE) });
    case 'decision': {
      const body = parseBody(request, DecisionRequestBodySchema);
      if (!body.ok) return body.response;
      if (!APPROVAL_ID_PATTERN.test(route.approvalId)) return notFound(`no approval ${route.approvalId}`);
      return fromOutcome(
        await decide(
          { approvalId: route.approvalId, decision: body.value.decision, comment: body.value.comment, actor },
          deps,
        ),
      );
    }
    case 'heartbeat': {
      const body = parseBody(request, HeartbeatRequestBodySchema);
      if (!body.ok) return body.response;
      if (!APPROVAL_ID_PATTERN.test(route.approvalId)) return notFound(`no approval ${route.approvalId}`);
      return fromOutcome(
        await heartbeat({ approvalId: route.approvalId, note: body.value.note, actor }, deps),
      );
    }
  }
};
