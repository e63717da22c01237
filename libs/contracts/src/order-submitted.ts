import { z } from 'zod';

export const OrderLineSchema = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().positive(),
  unitPrice: z.number().nonnegative(),
});

export const OrderSubmittedSchema = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  currency: z.string().length(3),
  lines: z.array(OrderLineSchema).min(1),
});
export type OrderSubmitted = z.infer<typeof OrderSubmittedSchema>;
