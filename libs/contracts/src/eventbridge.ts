import { z } from 'zod';

/**
 * The EventBridge event envelope as a rule target receives it (the rule passes the whole event, no InputPath),
 * with `detail` typed by the caller. Mirrors the AWS shape; written here because contracts import no AWS packages.
 *
 * @example
 * ```ts
 * const OrderSubmittedEventSchema = eventBridgeEventSchema(z.literal('OrderSubmitted'), OrderSubmittedDetailSchema);
 * ```
 */
export const eventBridgeEventSchema = <TDetailType extends z.ZodType<string>, TDetail extends z.ZodType>(
  detailType: TDetailType,
  detail: TDetail,
) =>
  z.object({
    version: z.string(),
    /** Unique per event; a redelivery of the same event keeps its id (ProcessTask's idempotency key). */
    id: z.string().min(1, 'must not be empty'),
    'detail-type': detailType,
    source: z.string().min(1),
    account: z.string(),
    time: z.string(),
    region: z.string(),
    resources: z.array(z.string()),
    detail,
  });

/** An EventBridge envelope whose `detail` is not yet validated (validated separately, to report detail paths). */
export const AnyEventBridgeEventSchema = eventBridgeEventSchema(z.string(), z.unknown());
export type AnyEventBridgeEvent = z.infer<typeof AnyEventBridgeEventSchema>;
