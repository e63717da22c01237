import { z } from 'zod';
import {
  AmountSchema,
  ExecutionIdSchema,
  FieldErrorSchema,
  IdentifierSchema,
  IsoDateTimeSchema,
  NormalisedCurrencyCodeSchema,
  SkuSchema,
} from './common';
import { AnyEventBridgeEventSchema } from './eventbridge';
import { VALIDATION_ERROR_NAME } from './names';
import { CustomerHistorySchema, OrderChannelSchema, ShippingAddressSchema } from './order-submitted';

/**
 * ProcessTask's input: the `OrderSubmitted` EventBridge event exactly as the rule delivers it (the rule target has
 * no InputPath/InputTransformer and LambdaInvoke passes `$`), so the event `id` is available as the idempotency key.
 * The `detail` is validated by ProcessTask itself, which reports detail field paths (`lines.0.quantity`).
 * An optional `executionId` may be merged in by the workflow for log correlation.
 */
export const ProcessTaskInputSchema = AnyEventBridgeEventSchema.extend({
  executionId: ExecutionIdSchema.optional(),
});
export type ProcessTaskInput = z.infer<typeof ProcessTaskInputSchema>;

/** A priced order line: quantities merged per SKU, unit price rounded to the currency's minor unit. */
export const PricedOrderLineSchema = z.object({
  sku: SkuSchema,
  quantity: z.number().int().positive(),
  unitPrice: AmountSchema,
  /** `quantity × unitPrice`, exact in minor units. */
  lineTotal: AmountSchema,
  description: z.string().optional(),
});
export type PricedOrderLine = z.infer<typeof PricedOrderLineSchema>;

/** Totals of a priced order, in major units of `currency`, exact to the currency's minor unit. */
export const OrderTotalsSchema = z.object({
  /** Number of units over all lines. */
  itemCount: z.number().int().positive(),
  subtotal: AmountSchema,
  /** What the customer pays; compared with `APPROVAL_AMOUNT_THRESHOLD` by `NeedsApproval`. */
  total: AmountSchema,
});
export type OrderTotals = z.infer<typeof OrderTotalsSchema>;

/** The order after ProcessTask: validated, normalised (upper-case codes, merged lines) and priced. */
export const PricedOrderSchema = z.object({
  orderId: IdentifierSchema,
  customerId: IdentifierSchema,
  requestedBy: IdentifierSchema,
  submittedAt: IsoDateTimeSchema,
  currency: NormalisedCurrencyCodeSchema,
  /** Digits after the decimal point of `currency` (ISO 4217 minor unit: EUR 2, JPY 0, BHD 3). */
  currencyDigits: z.number().int().min(0).max(4),
  lines: z.array(PricedOrderLineSchema).min(1),
  totals: OrderTotalsSchema,
  shippingAddress: ShippingAddressSchema,
  customerHistory: CustomerHistorySchema.optional(),
  channel: OrderChannelSchema.optional(),
});
export type PricedOrder = z.infer<typeof PricedOrderSchema>;

/** ProcessTask's result for a valid order. `CheckStatus` routes `status == "success"` to `ParallelTasks`. */
export const ProcessTaskSuccessSchema = z.object({
  status: z.literal('success'),
  /** The upstream event's id (the idempotency key), carried for correlation. */
  eventId: z.string().min(1),
  /** The execution that processed the event, when the workflow passed `executionId` in the payload. */
  executionId: z.string().min(1).optional(),
  order: PricedOrderSchema,
});
export type ProcessTaskSuccess = z.infer<typeof ProcessTaskSuccessSchema>;

/**
 * ProcessTask's result for an invalid order. `CheckStatus` routes it to `Failed`, whose `Error` is
 * `ValidationError` and whose `CausePath` is `$.validation.cause` (a string saying what was wrong).
 */
export const ProcessTaskInvalidSchema = z.object({
  status: z.literal('invalid'),
  eventId: z.string().min(1),
  executionId: z.string().min(1).optional(),
  /** The order id when the detail carried a usable one (for the `OrderFailed` event), otherwise absent. */
  orderId: z.string().optional(),
  errors: z.array(FieldErrorSchema).min(1),
  validation: z.object({
    error: z.literal(VALIDATION_ERROR_NAME),
    /** One line listing every field error, e.g. `1 validation error: lines.0.quantity: must be at least 1`. */
    cause: z.string().min(1),
  }),
});
export type ProcessTaskInvalid = z.infer<typeof ProcessTaskInvalidSchema>;

/**
 * ProcessTask's result when the event was already processed by ANOTHER execution (EventBridge delivered it twice,
 * so the rule started two runs). Only possible when the workflow passes `executionId` in the payload; the first run
 * owns the outcome, so `CheckStatus` should end this one quietly (e.g. a `Succeed` state named `Duplicate`),
 * without reserving, asking for approval or publishing.
 */
export const ProcessTaskDuplicateSchema = z.object({
  status: z.literal('duplicate'),
  eventId: z.string().min(1),
  orderId: z.string().optional(),
  /** The execution that processed the event first. */
  firstExecutionId: z.string().min(1),
});
export type ProcessTaskDuplicate = z.infer<typeof ProcessTaskDuplicateSchema>;

/** ProcessTask's output (the Lambda's return value; LambdaInvoke selects `$.Payload`). */
export const ProcessTaskOutputSchema = z.discriminatedUnion('status', [
  ProcessTaskSuccessSchema,
  ProcessTaskInvalidSchema,
  ProcessTaskDuplicateSchema,
]);
export type ProcessTaskOutput = z.infer<typeof ProcessTaskOutputSchema>;
