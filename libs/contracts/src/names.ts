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
  /** score-risk: comma-separated ISO 3166-1 alpha-2 shipping countries that raise the risk score (optional). */
  RiskElevatedCountries: 'RISK_ELEVATED_COUNTRIES',
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

/**
 * Error names the task services throw (each is the `name` of an Error subclass, which Lambda reports as the
 * function error type, so Step Functions `Retry`/`Catch` `ErrorEquals` match them). Infra must use these
 * constants, never string literals.
 */
export const TaskErrorNames = {
  /** A dependency (DynamoDB, a downstream API) failed in a way that may succeed on retry. RETRYABLE. */
  TransientDependency: 'TransientDependencyError',
  /** The task's payload did not match its contract (a wiring bug in the workflow, not bad user input). */
  InvalidTaskInput: 'InvalidTaskInputError',
  /** Not enough stock for at least one line; the reservation was not made. */
  OutOfStock: 'OutOfStockError',
  /** The order's reservation exists but is in a state that forbids the action (e.g. reserve after release). */
  ReservationConflict: 'ReservationConflictError',
  /**
   * Powertools idempotency: the same event is being processed by a concurrent invocation right now. RETRYABLE
   * (the retry returns the first invocation's result once it completes).
   */
  IdempotencyAlreadyInProgress: 'IdempotencyAlreadyInProgressError',
} as const;
export type TaskErrorName = (typeof TaskErrorNames)[keyof typeof TaskErrorNames];

/** The task error names a `Retry` should retry (with backoff and jitter); every other name is terminal. */
export const RetryableTaskErrorNames: readonly TaskErrorName[] = [
  TaskErrorNames.TransientDependency,
  TaskErrorNames.IdempotencyAlreadyInProgress,
];

/** Error name of the workflow's `Failed` state when ProcessTask reports an invalid order. */
export const VALIDATION_ERROR_NAME = 'ValidationError';

/** Key schema of the tables the task services use (infra creates the tables with exactly these attributes). */
export const TableKeys = {
  /** Powertools idempotency (DynamoDBPersistenceLayer defaults): partition key `id` (S), TTL attribute `expiration`. */
  Idempotency: { partitionKey: 'id', timeToLiveAttribute: 'expiration' },
  /** Inventory: one table, partition key `pk` (S), no sort key. Items `SKU#<sku>` (stock) and `RESERVATION#<orderId>`. */
  Inventory: { partitionKey: 'pk' },
} as const;

/** The Nx project name of each task service (also its folder under apps/ and its Powertools service name). */
export const ServiceNames = {
  ProcessOrder: 'process-order',
  ReserveInventory: 'reserve-inventory',
  ScoreRisk: 'score-risk',
  ApprovalDispatcher: 'approval-dispatcher',
  ApprovalApi: 'approval-api',
} as const;
export type ServiceName = (typeof ServiceNames)[keyof typeof ServiceNames];

/** SSM parameter through which a service publishes one of its tables' names (read by other stacks). */
export const serviceTableNameParameter = (service: string, table: string): string =>
  `/complex-workflow/services/${service}/tables/${table}/name`;

/** SSM parameters published by the shared messaging stack (the approvals queue; the bus has a stable name). */
export const MessagingParameters = {
  ApprovalsQueueArn: '/complex-workflow/messaging/approvals-queue-arn',
  ApprovalsQueueUrl: '/complex-workflow/messaging/approvals-queue-url',
} as const;
