import { z } from 'zod';
import { ApprovalDecisionEventDetailSchema } from './approval-decision';
import { ApprovalRequestedDetailSchema } from './approval-record';
import { DetailTypes, type DetailType } from './names';
import { OrderSubmittedDetailSchema } from './order-submitted';
import {
  OrderApprovedDetailSchema,
  OrderExpiredDetailSchema,
  OrderFailedDetailSchema,
  OrderRejectedDetailSchema,
} from './outcome-events';

/** The `detail` schema of every event on the `orders` bus, by detail-type. */
export const EventDetailSchemas = {
  [DetailTypes.OrderSubmitted]: OrderSubmittedDetailSchema,
  [DetailTypes.OrderApproved]: OrderApprovedDetailSchema,
  [DetailTypes.OrderRejected]: OrderRejectedDetailSchema,
  [DetailTypes.OrderExpired]: OrderExpiredDetailSchema,
  [DetailTypes.OrderFailed]: OrderFailedDetailSchema,
  [DetailTypes.ApprovalRequested]: ApprovalRequestedDetailSchema,
  [DetailTypes.ApprovalDecision]: ApprovalDecisionEventDetailSchema,
} as const satisfies Record<DetailType, z.ZodType>;

/**
 * The JSON Schema (draft 2020-12) of an event's `detail`, as a producer must write it (`io: 'input'`, so
 * defaulted fields are optional). Written to `libs/contracts/schemas/<DetailType>.json` by
 * `nx run contracts:schemas`, for documentation and an EventBridge schema registry.
 */
export const eventDetailJsonSchema = (detailType: DetailType): Record<string, unknown> => ({
  ...z.toJSONSchema(EventDetailSchemas[detailType], { io: 'input', target: 'draft-2020-12' }),
  $id: `https://schemas.example.com/orders/${detailType}.json`,
  title: detailType,
});
