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
import { eventBridgeEventSchema } from './eventbridge';
import { DetailTypes, VALIDATION_ERROR_NAME } from './names';
import { CustomerHistorySchema, OrderChannelSchema, ShippingAddressSchema } from './order-submitted';

/**
 * The envelope ProcessTask accepts as an order: an EventBridge event with detail-type `OrderSubmitted` (any source)
 * and an object `detail`. The `detail` itself is validated by ProcessTask, which reports detail field paths
 * (`lines.0.quantity`); the envelope's own field errors are reported with envelope paths (`id`, `detail`).
 */
export const OrderSubmittedEnvelopeSchema = eventBridgeEventSchema(
  z.literal(DetailTypes.OrderSubmitted),
  z.record(z.string(), z.unknown()),
);
export type OrderSubmittedEnvelope = z.infer<typeof OrderSubmittedEnvelopeSchema>;

/**
 * ProcessTask's input: what the workflow's LambdaInvoke sends, `{ event: $, executionId: $$.Execution.Id }`.
 *
 * `event` is the execution input exactly as given: normally the `OrderSubmitted` event the rule delivered (its `id`
 * is the idempotency key), but a person or another system can start the workflow with anything, so it is not
 * constrained here; ProcessTask answers `{ status: 'invalid' }` when it is not an `OrderSubmitted` event.
 * `executionId` lets ProcessTask tell a retry of the same run from a duplicate run (`{ status: 'duplicate' }`).
 * A payload without this wrapper is a wiring bug: ProcessTask fails with `InvalidTaskInputError`.
 */
export const ProcessTaskInputSchema = z.object({
  event: z.unknown(),
  executionId: ExecutionIdSchema,
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
 * What `PublishValidationFailed` puts on the bus as the `OrderFailed` detail, as is (`Detail.$: $.validation`), and
 * what `Failed` reads its Cause from (`CausePath: $.validation.cause`). ProcessTask builds it so the workflow reads
 * no optional path: every field that may be missing is simply absent from this object.
 */
export const ValidationFailureSchema = z.object({
  error: z.literal(VALIDATION_ERROR_NAME),
  /** One line naming every wrong field, e.g. `1 validation error: lines.0.quantity: must be at least 1`. */
  cause: z.string().min(1),
  /** The upstream event id, when the input carried one. */
  eventId: z.string().min(1).optional(),
  /** The order id, when the input carried a usable one. */
  orderId: z.string().optional(),
  /** The execution that found the order invalid (present when the workflow passed it). */
  executionId: z.string().min(1).optional(),
});
export type ValidationFailure = z.infer<typeof ValidationFailureSchema>;

/**
 * ProcessTask's result for an invalid order, or for an execution input that is not an `OrderSubmitted` event at
 * all. `CheckStatus` routes it through `PublishValidationFailed` (`OrderFailed`) to `Failed`, whose `Error` is
 * `ValidationError` and whose `CausePath` is `$.validation.cause` (a string saying what was wrong).
 */
export const ProcessTaskInvalidSchema = z.object({
  status: z.literal('invalid'),
  /** The upstream event id; absent when the input was not an event with an id. */
  eventId: z.string().min(1).optional(),
  executionId: z.string().min(1).optional(),
  /** The order id when the detail carried a usable one (for the `OrderFailed` event), otherwise absent. */
  orderId: z.string().optional(),
  errors: z.array(FieldErrorSchema).min(1),
  validation: ValidationFailureSchema,
});
export type ProcessTaskInvalid = z.infer<typeof ProcessTaskInvalidSchema>;

/**
 * ProcessTask's result when the event was already processed by ANOTHER execution (EventBridge delivered it twice,
 * so the rule started two runs). The first run owns the outcome, so `CheckStatus` ends this one quietly in the
 * `Duplicate` Succeed state, without reserving, asking for approval or publishing.
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
