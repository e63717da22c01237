import { z } from 'zod';
import { ApprovalDecisionOutputSchema } from './approval-decision';
import { ReserveInventoryOutputSchema } from './inventory';
import { ProcessTaskSuccessSchema } from './process-task';
import { ScoreRiskOutputSchema } from './risk';

/**
 * The `ComplexWorkflow` state between states (JSONPath), after `CheckStatus` chose the success branch:
 *
 * - ProcessTask's output replaces the state (`$.Payload`): `{ status, eventId, order }`;
 * - ParallelTasks puts `{ reservation: <branch 1>, risk: <branch 2> }` at `$.checks`
 *   (ResultSelector `{ 'reservation.$': '$[0]', 'risk.$': '$[1]' }`, ResultPath `$.checks`);
 * - AwaitApproval puts the approver's decision (SendTaskSuccess output) at `$.approval`;
 * - a Catch puts `{ Error, Cause }` at `$.error`.
 */
export const ParallelChecksSchema = z.object({
  reservation: ReserveInventoryOutputSchema,
  risk: ScoreRiskOutputSchema,
});
export type ParallelChecks = z.infer<typeof ParallelChecksSchema>;

/** What a Catch writes at its ResultPath. */
export const CaughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });
export type CaughtError = z.infer<typeof CaughtErrorSchema>;

export const WorkflowStateSchema = ProcessTaskSuccessSchema.extend({
  checks: ParallelChecksSchema.optional(),
  /** The approver's decision (the approvals contract); `ApprovalDecision` reads `$.approval.decision`. */
  approval: ApprovalDecisionOutputSchema.optional(),
  error: CaughtErrorSchema.optional(),
});
export type WorkflowState = z.infer<typeof WorkflowStateSchema>;

/** JSONPaths of the state fields the workflow's Choice/Fail/PutEvents states read (infra imports these). */
export const WorkflowPaths = {
  /** `CheckStatus`: `"success"`, `"duplicate"` or `"invalid"`. */
  status: '$.status',
  /** `PublishValidationFailed`: the whole `OrderFailed` detail of an invalid order (`ValidationFailureSchema`). */
  validation: '$.validation',
  /** `Failed`: `CausePath`. */
  validationCause: '$.validation.cause',
  eventId: '$.eventId',
  order: '$.order',
  orderId: '$.order.orderId',
  customerId: '$.order.customerId',
  currency: '$.order.currency',
  /** `NeedsApproval`: compared with `APPROVAL_AMOUNT_THRESHOLD`. */
  orderTotal: '$.order.totals.total',
  checks: '$.checks',
  reservationId: '$.checks.reservation.reservationId',
  /** `NeedsApproval`: compared with `APPROVAL_RISK_LEVEL`. */
  riskLevel: '$.checks.risk.level',
  approval: '$.approval',
  /** `ApprovalDecision`: `"approve"` or `"reject"` (`ApprovalDecisionValues`). */
  approvalDecision: '$.approval.decision',
  error: '$.error',
} as const;
