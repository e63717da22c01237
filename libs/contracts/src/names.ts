/**
 * Names shared by the services, the CDK app and the local cloud. One place, so a rename cannot drift.
 */

/** The custom event bus that upstream systems publish orders to and the workflow publishes outcomes on. */
export const ORDERS_EVENT_BUS_NAME = 'orders';

/** The state machine's name (stable: it is what users search for and what ARNs are built from). */
export const WORKFLOW_STATE_MACHINE_NAME = 'ComplexWorkflow';

/** `source` of the events, per publisher. */
export const EventSources = {
  /** Upstream order systems. */
  Orders: 'com.example.orders',
  /** The workflow itself (outcome events). */
  Workflow: 'com.example.workflow',
  /** The approvals service. */
  Approvals: 'com.example.approvals',
} as const;

/** `detail-type` of every event that crosses a boundary. */
export const DetailTypes = {
  OrderSubmitted: 'OrderSubmitted',
  OrderApproved: 'OrderApproved',
  OrderRejected: 'OrderRejected',
  OrderExpired: 'OrderExpired',
  OrderFailed: 'OrderFailed',
  ApprovalRequested: 'ApprovalRequested',
  ApprovalDecision: 'ApprovalDecision',
} as const;
export type DetailType = (typeof DetailTypes)[keyof typeof DetailTypes];

/** Environment variables read by the services; infra sets them with these exact names. */
export const EnvVars = {
  IdempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  InventoryTableName: 'INVENTORY_TABLE_NAME',
  ApprovalsTableName: 'APPROVALS_TABLE_NAME',
  EventBusName: 'EVENT_BUS_NAME',
  JwtIssuer: 'JWT_ISSUER',
  JwtAudience: 'JWT_AUDIENCE',
  /** A JSON Web Key Set (JSON text) of the public keys that sign approver tokens. */
  JwtPublicJwks: 'JWT_PUBLIC_JWKS',
  /** Comma-separated EventBridge sources allowed to send ApprovalDecision events. */
  TrustedDecisionSources: 'TRUSTED_DECISION_SOURCES',
} as const;

/** SSM parameter names through which the workflow stack finds each service's function (never CFN exports). */
export const serviceFunctionArnParameter = (service: string): string =>
  `/complex-workflow/services/${service}/function-arn`;

/** CloudFormation resource Metadata keys that TaskFunction writes so the local cloud can find the handler source. */
export const LocalCloudMetadata = {
  /** Repository-relative path of the handler's TypeScript entry, e.g. `apps/process-order/src/handler.ts`. */
  Entry: 'flow:entry',
  /** Exported handler name, e.g. `handler`. */
  Handler: 'flow:handler',
} as const;
