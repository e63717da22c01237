import { z } from 'zod';

/**
 * The approval callback: what the workflow's `AwaitApproval` state (`sqs:sendMessage.waitForTaskToken`) sends
 * through the approvals queue, and what the approval-dispatcher consumes.
 *
 * This is the only approval message that carries the task token. The token is a secret: it is stored where no
 * API returns it and never logged; every other approval contract omits it.
 */

/** Default `TimeoutSeconds` of `AwaitApproval`: 7 days, long enough for a human approval over a weekend. */
export const APPROVAL_DEFAULT_TIMEOUT_SECONDS = 7 * 24 * 60 * 60;

/**
 * Default `HeartbeatSeconds` of `AwaitApproval`: 1 day. External reviewers that keep working call
 * `POST /approvals/{id}/heartbeat` (SendTaskHeartbeat) at least daily; without heartbeats the wait fails with
 * `States.HeartbeatTimeout` after this interval. Must be less than the timeout (AWS rejects it otherwise).
 */
export const APPROVAL_DEFAULT_HEARTBEAT_SECONDS = 24 * 60 * 60;

/** ISO-8601 timestamp as Step Functions writes them (`$$.State.EnteredTime`, e.g. `2026-11-24T10:00:00.123Z`). */
export const IsoTimestampSchema = z.iso.datetime({ offset: true });

/**
 * The SQS message body of `AwaitApproval`. Build it in the state machine as (JSONPath):
 * ```
 * { "taskToken.$": "$$.Task.Token", "executionId.$": "$$.Execution.Id", "requestedAt.$": "$$.State.EnteredTime",
 *   "orderId.$": "$.orderId", "amount.$": "$.amount", "currency.$": "$.currency",
 *   "reasons.$": "$.approvalReasons", "requestedBy.$": "$.requestedBy", "timeoutSeconds": 604800 }
 * ```
 * `expiresAt` wins over `timeoutSeconds`; with neither, the dispatcher assumes {@link APPROVAL_DEFAULT_TIMEOUT_SECONDS}.
 */
export const ApprovalRequestMessageSchema = z.object({
  /** The Step Functions task token (1–1024 characters). Secret. */
  taskToken: z.string().min(1).max(1024),
  orderId: z.string().min(1),
  /** The execution ARN (`$$.Execution.Id`): the approval id is derived from it. */
  executionId: z.string().min(1),
  amount: z.number().nonnegative(),
  currency: z.string().length(3),
  /** Why the order needs a human decision (e.g. `amount over 1000`, `risk score 0.82`). */
  reasons: z.array(z.string().min(1)).default([]),
  /** Who submitted the order (the identity `sub`): they may never approve it. */
  requestedBy: z.string().min(1),
  /** When the workflow entered `AwaitApproval` (`$$.State.EnteredTime`). */
  requestedAt: IsoTimestampSchema,
  expiresAt: IsoTimestampSchema.optional(),
  /** The state's `TimeoutSeconds`, so the dispatcher can compute `expiresAt`. */
  timeoutSeconds: z.number().int().positive().optional(),
  customerId: z.string().min(1).optional(),
  riskScore: z.number().optional(),
});
export type ApprovalRequestMessage = z.infer<typeof ApprovalRequestMessageSchema>;
