import { z } from 'zod';
import { APPROVAL_COMMENT_MAX_LENGTH } from './approval-decision';
import { AmountSchema, IdentifierSchema, IsoDateTimeSchema, NormalisedCurrencyCodeSchema } from './common';
import { eventBridgeEventSchema } from './eventbridge';
import { DetailTypes, EventSources } from './names';
import { RiskLevelSchema } from './risk';

/**
 * `detail` of the outcome events the workflow publishes on the `orders` bus (source `com.example.workflow`).
 * Every run ends in exactly one of them, so nothing an upstream system sent disappears silently. The workflow
 * builds them with `events:putEvents` from its state, so every field maps to a path of the workflow state.
 */

/** Who decided, when the order went through `AwaitApproval` (absent for auto-approved orders). */
export const ApprovalSummarySchema = z.object({
  /** As the approvals service reports it (`ApprovalDecisionOutput.approver`): a JWT `sub` or `<source>:<approver>`. */
  approver: z.string().min(1),
  decidedAt: IsoDateTimeSchema,
  comment: z.string().max(APPROVAL_COMMENT_MAX_LENGTH).optional(),
});
export type ApprovalSummary = z.infer<typeof ApprovalSummarySchema>;

/** `OrderApproved`: the order was approved (automatically or by an approver) and its stock is reserved. */
export const OrderApprovedDetailSchema = z
  .object({
    orderId: IdentifierSchema,
    customerId: IdentifierSchema,
    /** The execution ARN of the run that decided. */
    executionId: z.string().min(1),
    currency: NormalisedCurrencyCodeSchema,
    total: AmountSchema,
    reservationId: z.string().min(1).optional(),
    riskLevel: RiskLevelSchema.optional(),
    approval: ApprovalSummarySchema.optional(),
  })
  .meta({
    title: DetailTypes.OrderApproved,
    description: 'An order was approved and its stock is reserved.',
  });
export type OrderApprovedDetail = z.infer<typeof OrderApprovedDetailSchema>;

/** `OrderRejected`: an approver rejected the order; its reservation was released. */
export const OrderRejectedDetailSchema = z
  .object({
    orderId: IdentifierSchema,
    customerId: IdentifierSchema.optional(),
    executionId: z.string().min(1),
    approver: z.string().min(1).optional(),
    decidedAt: IsoDateTimeSchema.optional(),
    comment: z.string().max(APPROVAL_COMMENT_MAX_LENGTH).optional(),
  })
  .meta({
    title: DetailTypes.OrderRejected,
    description: 'An approver rejected an order; its stock was released.',
  });
export type OrderRejectedDetail = z.infer<typeof OrderRejectedDetailSchema>;

/** `OrderExpired`: nobody decided before `AwaitApproval` timed out; the reservation was released. */
export const OrderExpiredDetailSchema = z
  .object({
    orderId: IdentifierSchema,
    customerId: IdentifierSchema.optional(),
    executionId: z.string().min(1),
    /** `States.Timeout` or `States.HeartbeatTimeout`. */
    error: z.string().min(1),
    cause: z.string().optional(),
  })
  .meta({ title: DetailTypes.OrderExpired, description: 'An approval timed out; the stock was released.' });
export type OrderExpiredDetail = z.infer<typeof OrderExpiredDetailSchema>;

/** `OrderFailed`: the order was invalid or a task failed for good. */
export const OrderFailedDetailSchema = z
  .object({
    /** Absent when the submitted event carried no usable order id. */
    orderId: z.string().optional(),
    /** The upstream `OrderSubmitted` event id. */
    eventId: z.string().optional(),
    executionId: z.string().min(1),
    /** An error name: `ValidationError`, a task error name (`OutOfStockError`, ...) or a `States.*` error. */
    error: z.string().min(1),
    /** What went wrong, e.g. the validation cause. */
    cause: z.string().optional(),
  })
  .meta({
    title: DetailTypes.OrderFailed,
    description: 'An order could not be processed; error and cause say why.',
  });
export type OrderFailedDetail = z.infer<typeof OrderFailedDetailSchema>;

const workflowEvent = <TType extends string, TDetail extends z.ZodType>(detailType: TType, detail: TDetail) =>
  eventBridgeEventSchema(z.literal(detailType), detail).extend({ source: z.literal(EventSources.Workflow) });

/** The outcome events as a consumer's rule target receives them. */
export const OrderApprovedEventSchema = workflowEvent(DetailTypes.OrderApproved, OrderApprovedDetailSchema);
export const OrderRejectedEventSchema = workflowEvent(DetailTypes.OrderRejected, OrderRejectedDetailSchema);
export const OrderExpiredEventSchema = workflowEvent(DetailTypes.OrderExpired, OrderExpiredDetailSchema);
export const OrderFailedEventSchema = workflowEvent(DetailTypes.OrderFailed, OrderFailedDetailSchema);
