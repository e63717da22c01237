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
 * - `events`: target of the rule `{ "detail-type": ["ApprovalDecision"] }` on the orders bus (every source: the
 *   handler keeps untrusted ones for inspection); needs APPROVALS_TABLE_NAME, TRUSTED_DECISION_SOURCES;
 *   table read/write, `grantTaskResponse`.
 */
export const ApprovalHandlers = {
  dispatcher: { entry: 'apps/approval-dispatcher/src/handler.ts', handler: 'handler' },
  api: { entry: 'apps/approval-api/src/handler.ts', handler: 'handler' },
  events: { entry: 'apps/approval-api/src/handler.ts', handler: 'eventHandler' },
} as const;

/** Default for TRUSTED_DECISION_SOURCES: the EventBridge sources allowed to decide approvals by event. */
export const DEFAULT_TRUSTED_DECISION_SOURCES = ['com.example.credit', 'com.example.compliance'] as const;
