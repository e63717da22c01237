/**
 * Deployment facts of the approvals service that infra (and the local cloud) must match.
 */

/**
 * The approvals table (single-table design). Infra creates it with exactly these key names:
 * - table key: partition `pk` (S), sort `sk` (S); PAY_PER_REQUEST;
 * - one global secondary index `gsi1`: partition `gsi1pk` (S), sort `gsi1sk` (S), projection ALL.
 *
 * Items (for reference; only the approval services read or write them):
 * - approval `pk=APPROVAL#<id>, sk=APPROVAL`, indexed as `gsi1pk=STATUS#<status>` (list by status);
 * - task token `pk=APPROVAL#<id>, sk=TOKEN`: carries no gsi1 keys, so the index never projects it;
 * - audit `pk=APPROVAL#<id>, sk=AUDIT#<at>#<n>`, indexed as `gsi1pk=ORDER#<orderId>` (audit per order);
 * - rejected event `pk=REJECTED_EVENT#<event id>, sk=EVENT`, indexed as `gsi1pk=REJECTED_EVENTS`.
 */
export const ApprovalsTable = {
  partitionKey: 'pk',
  sortKey: 'sk',
  index: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

/**
 * Where infra finds the approval handlers (TaskFunction entry + exported handler name), repository-relative.
 * - `dispatcher`: SQS event source on the approvals queue, `reportBatchItemFailures: true`; needs
 *   APPROVALS_TABLE_NAME, EVENT_BUS_NAME; table read/write, `events:PutEvents` on the bus.
 * - `api`: Lambda function URL (auth type NONE: the handler verifies bearer JWTs itself), payload v2; needs
 *   APPROVALS_TABLE_NAME, JWT_ISSUER, JWT_AUDIENCE, JWT_PUBLIC_JWKS; table read/write, `grantTaskResponse`.
 * - `events`: target of two rules on the orders bus: `{ "detail-type": ["ApprovalDecision"] }` (every source: the
 *   handler keeps untrusted ones for inspection) and `{ "source": ["com.example.workflow"], "detail-type":
 *   ["OrderExpired", "OrderFailed"] }` (a pending approval of that execution becomes expired: every approval
 *   ends in one final status); needs APPROVALS_TABLE_NAME,
 *   TRUSTED_DECISION_SOURCES; table read/write, `grantTaskResponse`.
 */
export const ApprovalHandlers = {
  dispatcher: { entry: 'apps/approval-dispatcher/src/handler.ts', handler: 'handler' },
  api: { entry: 'apps/approval-api/src/handler.ts', handler: 'handler' },
  events: { entry: 'apps/approval-api/src/handler.ts', handler: 'eventHandler' },
} as const;

/** Default for TRUSTED_DECISION_SOURCES: the EventBridge sources allowed to decide approvals by event. */
export const DEFAULT_TRUSTED_DECISION_SOURCES = ['com.example.credit', 'com.example.compliance'] as const;

/** Prefix of every approval id. */
export const APPROVAL_ID_PREFIX = 'apr_';

/** Shape of an approval id: `apr_` + 32 lower-case hex digits. */
export const APPROVAL_ID_PATTERN = /^apr_[0-9a-f]{32}$/;

/**
 * The approval id of an execution's approval: `apr_` + the first 32 hex digits of SHA-256(execution ARN).
 * Deterministic, so a redelivered request maps to the same approval, and anyone holding the execution ARN (an
 * `OrderExpired` event, a test) can find the approval. Uses Web Crypto (Node ≥ 20 and browsers).
 *
 * @example
 * ```ts
 * await deriveApprovalId('arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:o-1'); // 'apr_…'
 * ```
 */
export const deriveApprovalId = async (executionId: string): Promise<string> => {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(executionId));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${APPROVAL_ID_PREFIX}${hex.slice(0, 32)}`;
};

/** Key values of the approvals table's items (see {@link ApprovalsTable}). */
export const ApprovalItemKeys = {
  approval: (approvalId: string) => ({ pk: `APPROVAL#${approvalId}`, sk: 'APPROVAL' }),
  token: (approvalId: string) => ({ pk: `APPROVAL#${approvalId}`, sk: 'TOKEN' }),
  /** Audit entries sort by time; `sequence` breaks ties of the same millisecond. */
  audit: (approvalId: string, at: string, sequence: string) => ({
    pk: `APPROVAL#${approvalId}`,
    sk: `AUDIT#${at}#${sequence}`,
  }),
  auditPrefix: 'AUDIT#',
  rejectedEvent: (eventId: string) => ({ pk: `REJECTED_EVENT#${eventId}`, sk: 'EVENT' }),
  /** gsi1 keys of an approval item: list by status, oldest request first. */
  byStatus: (status: string, requestedAt: string, approvalId: string) => ({
    gsi1pk: `STATUS#${status}`,
    gsi1sk: `${requestedAt}#${approvalId}`,
  }),
  /** gsi1 keys of an audit item: the audit trail of an order, oldest first. */
  byOrder: (orderId: string, at: string, sequence: string) => ({
    gsi1pk: `ORDER#${orderId}`,
    gsi1sk: `AUDIT#${at}#${sequence}`,
  }),
  /** gsi1 keys of a kept (untrusted or invalid) event. */
  rejectedEvents: (receivedAt: string, eventId: string) => ({
    gsi1pk: 'REJECTED_EVENTS',
    gsi1sk: `${receivedAt}#${eventId}`,
  }),
} as const;
