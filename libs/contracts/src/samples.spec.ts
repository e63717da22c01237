import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DetailTypes, EventSources, ORDERS_EVENT_BUS_NAME } from './names';
import { OrderSubmittedDetailSchema } from './order-submitted';
import { APPROVAL_AMOUNT_THRESHOLD } from './thresholds';
import { toFieldErrors } from './validation';

/** The shape `aws events put-events --entries file://...` accepts (PutEventsRequestEntry[]). */
const PutEventsEntriesSchema = z
  .array(
    z.strictObject({
      Source: z.string().min(1),
      DetailType: z.string().min(1),
      Detail: z.string().min(1),
      EventBusName: z.string().min(1),
      Resources: z.array(z.string()).optional(),
      Time: z.string().optional(),
      TraceHeader: z.string().optional(),
    }),
  )
  .min(1)
  .max(10);

const samplesDir = path.join(__dirname, '..', '..', '..', 'samples', 'events');
const readSample = (file: string) => {
  const entries = PutEventsEntriesSchema.parse(JSON.parse(readFileSync(path.join(samplesDir, file), 'utf8')));
  const [entry] = entries;
  if (entry === undefined) throw new Error(`${file} has no entry`);
  return { entry, detail: JSON.parse(entry.Detail) as unknown };
};
const orderTotal = (lines: readonly { quantity: number; unitPrice: number }[]) =>
  lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);

describe('samples/events', () => {
  it.each(['order-auto-approved.json', 'order-needs-approval.json', 'order-invalid.json'])(
    '%s is a put-events entry list for the orders bus',
    (file) => {
      // Act
      const { entry } = readSample(file);

      // Assert
      expect({
        Source: entry.Source,
        DetailType: entry.DetailType,
        EventBusName: entry.EventBusName,
      }).toStrictEqual({
        Source: EventSources.Orders,
        DetailType: DetailTypes.OrderSubmitted,
        EventBusName: ORDERS_EVENT_BUS_NAME,
      });
    },
  );

  it('order-auto-approved.json is a valid order under the approval threshold', () => {
    // Act
    const detail = OrderSubmittedDetailSchema.parse(readSample('order-auto-approved.json').detail);

    // Assert
    expect(orderTotal(detail.lines)).toBeLessThanOrEqual(APPROVAL_AMOUNT_THRESHOLD);
  });

  it('order-needs-approval.json is a valid order over the approval threshold', () => {
    // Act
    const detail = OrderSubmittedDetailSchema.parse(readSample('order-needs-approval.json').detail);

    // Assert
    expect(orderTotal(detail.lines)).toBeGreaterThan(APPROVAL_AMOUNT_THRESHOLD);
  });

  it('order-invalid.json fails validation on currency, quantity and postal code', () => {
    // Act
    const result = OrderSubmittedDetailSchema.safeParse(readSample('order-invalid.json').detail);

    // Assert
    expect(result.success ? [] : toFieldErrors(result.error).map((e) => e.path)).toStrictEqual([
      'currency',
      'lines.0.quantity',
      'shippingAddress.postalCode',
    ]);
  });
});
