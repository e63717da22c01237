import { z } from 'zod';
import { IsoTimestampSchema } from './approval-request';

/** The two answers an approver (person or system) can give. A rejection is a business outcome, not a failure. */
export const ApprovalDecisionValues = { Approve: 'approve', Reject: 'reject' } as const;
export const ApprovalDecisionValueSchema = z.enum([
  ApprovalDecisionValues.Approve,
  ApprovalDecisionValues.Reject,
]);
export type ApprovalDecisionValue = z.infer<typeof ApprovalDecisionValueSchema>;

/** How a decision reached the approvals service. */
export const DecisionChannelSchema = z.enum(['http', 'event']);
export type DecisionChannel = z.infer<typeof DecisionChannelSchema>;

/** Longest comment accepted with a decision (keeps the SendTaskSuccess output far below 256 KiB). */
export const APPROVAL_COMMENT_MAX_LENGTH = 1000;

/**
 * The field of the decision output that the workflow's `ApprovalDecision` Choice state reads, e.g. with
 * `ResultPath: '$.approval'`: `Condition.stringEquals('$.approval.decision', ApprovalDecisionValues.Approve)`.
 */
export const APPROVAL_DECISION_OUTPUT_FIELD = 'decision';

/**
 * The output sent with `SendTaskSuccess`: it becomes the result of `AwaitApproval`.
 * Both `approve` and `reject` are sent as task success; the Choice after the task routes on `decision`.
 */
export const ApprovalDecisionOutputSchema = z.object({
  approvalId: z.string().min(1),
  decision: ApprovalDecisionValueSchema,
  /** Identity of whoever decided: the JWT `sub` of a person, or `<event source>:<approver>` of a system. */
  approver: z.string().min(1),
  comment: z.string().max(APPROVAL_COMMENT_MAX_LENGTH),
  decidedAt: IsoTimestampSchema,
  channel: DecisionChannelSchema,
});
export type ApprovalDecisionOutput = z.infer<typeof ApprovalDecisionOutputSchema>;

/** `POST /approvals/{id}/decision` body. Unknown fields are refused, so a typo is not silently ignored. */
export const DecisionRequestBodySchema = z.strictObject({
  decision: ApprovalDecisionValueSchema,
  comment: z.string().max(APPROVAL_COMMENT_MAX_LENGTH).default(''),
});
export type DecisionRequestBody = z.infer<typeof DecisionRequestBodySchema>;

/** `POST /approvals/{id}/heartbeat` body (optional): what the reviewer is still doing, for the audit trail. */
export const HeartbeatRequestBodySchema = z.strictObject({
  note: z.string().max(APPROVAL_COMMENT_MAX_LENGTH).default(''),
});
export type HeartbeatRequestBody = z.infer<typeof HeartbeatRequestBodySchema>;

/**
 * Detail of the external `ApprovalDecision` event (detail-type `ApprovalDecision` on the orders bus) that an
 * outside system (credit, compliance) publishes to decide an approval. Only sources listed in
 * `TRUSTED_DECISION_SOURCES` are acted upon; the rest are kept for inspection and otherwise ignored.
 */
export const ApprovalDecisionEventDetailSchema = z.object({
  /** The `approvalId` from the `ApprovalRequested` event. */
  approvalId: z.string().min(1),
  decision: ApprovalDecisionValueSchema,
  /** Who decided inside the external system (a reviewer id or the system's own name). */
  approver: z.string().min(1),
  comment: z.string().max(APPROVAL_COMMENT_MAX_LENGTH).default(''),
});
export type ApprovalDecisionEventDetail = z.infer<typeof ApprovalDecisionEventDetailSchema>;
