import { z } from 'zod';
import {
  AmountSchema,
  CountryCodeSchema,
  CurrencyCodeSchema,
  IdentifierSchema,
  IsoDateTimeSchema,
  SkuSchema,
} from './common';
import { eventBridgeEventSchema } from './eventbridge';
import { DetailTypes, EventSources } from './names';

/** Most lines one order may carry (each line becomes one item of a DynamoDB transaction, limit 100). */
export const MAX_ORDER_LINES = 50;
/** Most units of one line. */
export const MAX_LINE_QUANTITY = 10_000;

/** One line of an order as the upstream system sends it. */
export const OrderLineSchema = z.object({
  sku: SkuSchema,
  quantity: z
    .number()
    .int('must be a whole number')
    .positive('must be at least 1')
    .max(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`),
  /** Price of one unit in major units of the order currency; rounded to the currency's minor unit when priced. */
  unitPrice: AmountSchema,
  description: z.string().max(500).optional(),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

/** Where the order ships to. */
export const ShippingAddressSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  line1: z.string().trim().min(1, 'must not be empty').max(200),
  line2: z.string().max(200).optional(),
  city: z.string().trim().min(1, 'must not be empty').max(100),
  region: z.string().max(100).optional(),
  postalCode: z.string().trim().min(1, 'must not be empty').max(20),
  country: CountryCodeSchema,
});
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

/** What the order system knows of the customer; ScoreRisk uses it. Absent means a customer without history. */
export const CustomerHistorySchema = z.object({
  /** Orders the customer completed before this one. */
  previousOrders: z.number().int().nonnegative(),
  /** Chargebacks (disputed payments) on the customer's past orders. */
  chargebacks: z.number().int().nonnegative(),
  /** When the customer's account was created. */
  accountCreatedAt: IsoDateTimeSchema,
});
export type CustomerHistory = z.infer<typeof CustomerHistorySchema>;

/** Where the order was placed. */
export const OrderChannelSchema = z.enum(['web', 'mobile', 'store', 'api']);
export type OrderChannel = z.infer<typeof OrderChannelSchema>;

/**
 * `detail` of the upstream `OrderSubmitted` event (source `com.example.orders`, bus `orders`).
 */
export const OrderSubmittedDetailSchema = z
  .object({
    orderId: IdentifierSchema,
    customerId: IdentifierSchema,
    /** User id of the person who submitted the order; the approvals service forbids them from approving it. */
    requestedBy: IdentifierSchema,
    submittedAt: IsoDateTimeSchema,
    currency: CurrencyCodeSchema,
    lines: z
      .array(OrderLineSchema)
      .min(1, 'must contain at least one line')
      .max(MAX_ORDER_LINES, `must contain at most ${MAX_ORDER_LINES} lines`),
    shippingAddress: ShippingAddressSchema,
    customerHistory: CustomerHistorySchema.optional(),
    channel: OrderChannelSchema.optional(),
  })
  .meta({
    title: DetailTypes.OrderSubmitted,
    description: 'An order submitted by an upstream order system.',
  });
export type OrderSubmittedDetail = z.infer<typeof OrderSubmittedDetailSchema>;

/** @deprecated use {@link OrderSubmittedDetailSchema} (same schema; kept for the first imports of the name). */
export const OrderSubmittedSchema = OrderSubmittedDetailSchema;
/** @deprecated use {@link OrderSubmittedDetail}. */
export type OrderSubmitted = OrderSubmittedDetail;

/** The whole `OrderSubmitted` EventBridge event, detail validated. */
export const OrderSubmittedEventSchema = eventBridgeEventSchema(
  z.literal(DetailTypes.OrderSubmitted),
  OrderSubmittedDetailSchema,
).extend({ source: z.literal(EventSources.Orders) });
export type OrderSubmittedEvent = z.infer<typeof OrderSubmittedEventSchema>;
