import { z } from 'zod';
import { ExecutionIdSchema, IdentifierSchema, IsoDateTimeSchema, SkuSchema } from './common';
import { PricedOrderSchema } from './process-task';

/**
 * The reserve-inventory function serves two actions, chosen by the payload's `action` field:
 * `reserve` (branch 1 of `ParallelTasks`) and `release` (the compensation on reject/expiry/failure).
 * One function, one handler export (`handler`).
 */
export const InventoryActions = { Reserve: 'reserve', Release: 'release' } as const;

/** Why a reservation is released; recorded on the reservation item. */
export const ReleaseReasonSchema = z.enum(['rejected', 'expired', 'failed']);
export type ReleaseReason = z.infer<typeof ReleaseReasonSchema>;

/** A SKU and a number of units held for an order. */
export const ReservedItemSchema = z.object({ sku: SkuSchema, quantity: z.number().int().positive() });
export type ReservedItem = z.infer<typeof ReservedItemSchema>;

/**
 * ReserveInventory's input. Infra's payload:
 * `{ action: 'reserve', 'order.$': '$.order', 'executionId.$': '$$.Execution.Id' }`.
 */
export const ReserveInventoryInputSchema = z.object({
  action: z.literal(InventoryActions.Reserve),
  order: PricedOrderSchema,
  executionId: ExecutionIdSchema.optional(),
});
export type ReserveInventoryInput = z.infer<typeof ReserveInventoryInputSchema>;

/** ReserveInventory's output: the reservation held for the order (the same one on a repeated call). */
export const ReserveInventoryOutputSchema = z.object({
  status: z.literal('reserved'),
  /** Stable per order: `RESERVATION#<orderId>` in the inventory table. */
  reservationId: z.string().min(1),
  orderId: IdentifierSchema,
  items: z.array(ReservedItemSchema).min(1),
  reservedAt: IsoDateTimeSchema,
});
export type ReserveInventoryOutput = z.infer<typeof ReserveInventoryOutputSchema>;

/**
 * ReleaseInventory's (compensation) input. Infra's payload:
 * `{ action: 'release', 'orderId.$': '$.order.orderId', reason: 'rejected', 'executionId.$': '$$.Execution.Id' }`.
 */
export const ReleaseInventoryInputSchema = z.object({
  action: z.literal(InventoryActions.Release),
  orderId: IdentifierSchema,
  reason: ReleaseReasonSchema,
  executionId: ExecutionIdSchema.optional(),
});
export type ReleaseInventoryInput = z.infer<typeof ReleaseInventoryInputSchema>;

/**
 * ReleaseInventory's output. Release is idempotent and safe to call whatever happened before:
 * `released` (this call returned the stock), `already-released` (an earlier call did), `not-reserved`
 * (nothing was ever reserved for the order, e.g. the reservation itself failed).
 */
export const ReleaseInventoryOutputSchema = z.object({
  status: z.enum(['released', 'already-released', 'not-reserved']),
  orderId: IdentifierSchema,
  items: z.array(ReservedItemSchema),
});
export type ReleaseInventoryOutput = z.infer<typeof ReleaseInventoryOutputSchema>;

/** The reserve-inventory function's input: either action. */
export const InventoryTaskInputSchema = z.discriminatedUnion('action', [
  ReserveInventoryInputSchema,
  ReleaseInventoryInputSchema,
]);
export type InventoryTaskInput = z.infer<typeof InventoryTaskInputSchema>;
