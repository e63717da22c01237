import { z } from 'zod';
import { ApprovalDecisionValueSchema, DecisionChannelSchema } from './approval-decision';
import { IsoTimestampSchema } from './approval-request';

/**
 * The approval as the approvals service stores and returns it: what an approver needs to decide.
 * It never contains the task token.
 */

/** Life cycle: `pending` → exactly one of `approved`, `rejected`, `expired`. */
export const ApprovalStatusValues = {
  Pending: 'pending',
  Approved: 'approved',
  Rejected: 'rejected',
  Expired: 'expired',
} as const;
export const ApprovalStatusSchema = z.enum([
  ApprovalStatusValues.Pending,
  ApprovalStatusValues.Approved,
  ApprovalStatusValues.Rejected,
  ApprovalStatusValues.Expired,
]);
export type ApprovalStatus = z.infer<typeof ApprovalStatusSchema>;

/** The decision part of a decided approval. */
export const RecordedDecisionSchema = z.object({
  decision: ApprovalDecisionValueSchema,
  approver: z.string().min(1),
  comment: z.string(),
  decidedAt: IsoTimestampSchema,
  channel: DecisionChannelSchema,
});
export type RecordedDecision = z.infer<typeof RecordedDecisionSchema>;

/** `GET /approvals/{id}` response body and each element of `GET /approvals?status=...`. */
export const ApprovalRecordSchema = z.strictObject({
  approvalId: z.string().min(1),
  orderId: z.string().min(1),
  executionId: z.string().min(1),
  amount: z.number().nonnegative(),
  currency: z.string().length(3),
  reasons: z.array(z.string()),
  requestedBy: z.string().min(1),
  requestedAt: IsoTimestampSchema,
  expiresAt: IsoTimestampSchema,
  status: ApprovalStatusSchema,
  decision: RecordedDecisionSchema.optional(),
  expiredAt: IsoTimestampSchema.optional(),
  lastHeartbeatAt: IsoTimestampSchema.optional(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

/** `GET /approvals?status=...` response body. */
export const ApprovalListSchema = z.object({
  items: z.array(ApprovalRecordSchema),
  /** Opaque cursor for the next page (`?cursor=`), absent on the last page. */
  nextCursor: z.string().optional(),
});
export type ApprovalList = z.infer<typeof ApprovalListSchema>;

/** What happened to an approval, for the audit trail. */
export const AuditActionSchema = z.enum(['requested', 'decided', 'expired', 'heartbeat']);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** One audit entry: who did what, when. Queryable per approval and per order. */
export const AuditEntrySchema = z.strictObject({
  approvalId: z.string().min(1),
  orderId: z.string().min(1),
  at: IsoTimestampSchema,
  action: AuditActionSchema,
  /** Identity that acted: a JWT `sub`, `<source>:<approver>` for an event, or `system` (the dispatcher, expiry). */
  actor: z.string().min(1),
  decision: ApprovalDecisionValueSchema.optional(),
  comment: z.string().optional(),
  /** Free text: why it expired, what a heartbeat said. */
  note: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** `GET /approvals/{id}/audit` and `GET /orders/{orderId}/audit` response body, oldest first. */
export const AuditTrailSchema = z.object({ items: z.array(AuditEntrySchema) });
export type AuditTrail = z.infer<typeof AuditTrailSchema>;

/** Error body of every non-2xx answer of the approvals API. */
export const ApiErrorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  /** For 400: the fields that were wrong (dotted paths), e.g. `["decision"]`. */
  fields: z.array(z.string()).optional(),
  /** For 409/410: the approval as it is now. */
  approval: ApprovalRecordSchema.optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/**
 * Detail of the `ApprovalRequested` event (source `com.example.approvals`) the dispatcher publishes for
 * notifiers and external approvers. No task token: external systems answer with an `ApprovalDecision` event
 * naming the `approvalId`.
 */
export const ApprovalRequestedDetailSchema = z.strictObject({
  approvalId: z.string().min(1),
  orderId: z.string().min(1),
  executionId: z.string().min(1),
  amount: z.number().nonnegative(),
  currency: z.string().length(3),
  reasons: z.array(z.string()),
  requestedBy: z.string().min(1),
  requestedAt: IsoTimestampSchema,
  expiresAt: IsoTimestampSchema,
});
export type ApprovalRequestedDetail = z.infer<typeof ApprovalRequestedDetailSchema>;
