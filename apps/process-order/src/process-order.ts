import type { z } from 'zod';
import {
  type FieldError,
  MAX_LINE_QUANTITY,
  type OrderSubmittedDetail,
  OrderSubmittedDetailSchema,
  OrderSubmittedEnvelopeSchema,
  type PricedOrder,
  type PricedOrderLine,
  type ProcessTaskInvalid,
  type ProcessTaskOutput,
  type ProcessTaskSuccess,
  VALIDATION_ERROR_NAME,
  describeFieldErrors,
  toFieldErrors,
} from '@flow/contracts';
import { currencyDigits, fromMinorUnits, isKnownCurrency, toMinorUnits } from './pricing';

/**
 * ProcessTask's business logic: validates an `OrderSubmitted` detail against the contract and the pricing rules,
 * then normalises and prices it. Pure: no I/O, no clock.
 *
 * Normalisation: currency upper-cased; lines with the same SKU merged (they must agree on the unit price); unit
 * prices rounded to the currency's minor unit. Pricing: line totals, subtotal and total, exact in minor units.
 *
 * @param detail - the event's `detail`, not yet validated
 * @param eventId - the upstream event id, echoed for correlation
 * @returns `{ status: 'success', order }`, or `{ status: 'invalid', errors, validation }` naming every wrong field
 *
 * @example
 * ```ts
 * processOrder({ ...order, lines: [{ sku: 'A', quantity: 0, unitPrice: 1 }] }, 'evt-1');
 * // → { status: 'invalid', errors: [{ path: 'lines.0.quantity', message: 'must be at least 1' }], ... }
 * ```
 */
export const processOrder = (
  detail: unknown,
  eventId: string,
  executionId?: string,
): ProcessTaskSuccess | ProcessTaskInvalid => {
  const processedBy = executionId === undefined ? {} : { executionId };
  const parsed = OrderSubmittedDetailSchema.safeParse(detail);
  if (!parsed.success) return invalid(eventId, processedBy, detail, toFieldErrors(parsed.error));
  const priced = priceOrder(parsed.data);
  if ('errors' in priced) return invalid(eventId, processedBy, detail, priced.errors);
  return { status: 'success', eventId, ...processedBy, order: priced.order };
};

/** Prefix of the Cause when the execution input is not an `OrderSubmitted` event at all. */
export const NOT_AN_ORDER_EVENT = 'input is not an OrderSubmitted event';

/** Zod issue messages for the envelope: a missing field reads `required` (the default names `undefined`). */
const envelopeMessages: z.core.$ZodErrorMap = (issue) => (issue.input === undefined ? 'required' : undefined);

/**
 * ProcessTask's whole decision for an execution input: an `OrderSubmitted` event is validated and priced by
 * {@link processOrder}; anything else (a hand-started execution with `{"status":"success"}`, another event type) is
 * an invalid order too, with a Cause naming the envelope fields that are wrong, e.g.
 * `input is not an OrderSubmitted event: 8 validation errors: version: required; id: required; ...`.
 * Pure: no I/O, no clock.
 *
 * @param event - the execution input, as the workflow received it
 * @param executionId - the execution ARN (`$$.Execution.Id`)
 */
export const processEvent = (
  event: unknown,
  executionId?: string,
): ProcessTaskSuccess | ProcessTaskInvalid => {
  const envelope = OrderSubmittedEnvelopeSchema.safeParse(event, { error: envelopeMessages });
  if (envelope.success) return processOrder(envelope.data.detail, envelope.data.id, executionId);
  const errors = toFieldErrors(envelope.error);
  const eventId = usableString(event, 'id');
  const orderId = usableOrderId(isRecord(event) ? event['detail'] : undefined);
  const ids = {
    ...(eventId === undefined ? {} : { eventId }),
    ...(orderId === undefined ? {} : { orderId }),
    ...(executionId === undefined ? {} : { executionId }),
  };
  return {
    status: 'invalid',
    ...ids,
    errors,
    validation: {
      error: VALIDATION_ERROR_NAME,
      cause: `${NOT_AN_ORDER_EVENT}: ${describeFieldErrors(errors)}`,
      ...ids,
    },
  };
};

/**
 * What a redelivered event gets instead of the stored result of its first processing: the stored result itself when
 * the same execution asks again (a retry), `{ status: 'duplicate' }` when another execution processed it first.
 * Without execution ids (the workflow did not pass them) the stored result is returned as is.
 */
export const replayResult = (
  stored: ProcessTaskOutput,
  executionId: string | undefined,
): ProcessTaskOutput => {
  if (
    stored.status === 'duplicate' ||
    stored.eventId === undefined ||
    stored.executionId === undefined ||
    executionId === undefined
  )
    return stored;
  if (stored.executionId === executionId) return stored;
  const orderId = stored.status === 'success' ? stored.order.orderId : stored.orderId;
  return {
    status: 'duplicate',
    eventId: stored.eventId,
    ...(orderId === undefined ? {} : { orderId }),
    firstExecutionId: stored.executionId,
  };
};

/** Applies the pricing rules a schema cannot express; returns the priced order or the rule violations. */
const priceOrder = (order: OrderSubmittedDetail): { order: PricedOrder } | { errors: FieldError[] } => {
  const currency = order.currency.toUpperCase();
  if (!isKnownCurrency(currency)) {
    return {
      errors: [{ path: 'currency', message: `"${order.currency}" is not a known ISO 4217 currency code` }],
    };
  }
  const digits = currencyDigits(currency);

  const errors: FieldError[] = [];
  const merged = new Map<
    string,
    { index: number; quantity: number; unitMinor: number; description?: string }
  >();
  order.lines.forEach((line, index) => {
    const unitMinor = toMinorUnits(line.unitPrice, digits);
    const previous = merged.get(line.sku);
    if (previous === undefined) {
      merged.set(line.sku, {
        index,
        quantity: line.quantity,
        unitMinor,
        ...(line.description === undefined ? {} : { description: line.description }),
      });
      return;
    }
    if (previous.unitMinor !== unitMinor) {
      errors.push({
        path: `lines.${index}.unitPrice`,
        message: `differs from the unit price of line ${previous.index} for the same SKU "${line.sku}"`,
      });
      return;
    }
    previous.quantity += line.quantity;
    if (previous.quantity > MAX_LINE_QUANTITY) {
      errors.push({
        path: `lines.${index}.quantity`,
        message: `brings SKU "${line.sku}" to ${previous.quantity} units, more than ${MAX_LINE_QUANTITY}`,
      });
    }
  });

  const lines: PricedOrderLine[] = [];
  let subtotalMinor = 0;
  let itemCount = 0;
  for (const [sku, line] of merged) {
    const lineMinor = line.unitMinor * line.quantity;
    subtotalMinor += lineMinor;
    itemCount += line.quantity;
    lines.push({
      sku,
      quantity: line.quantity,
      unitPrice: fromMinorUnits(line.unitMinor, digits),
      lineTotal: fromMinorUnits(lineMinor, digits),
      ...(line.description === undefined ? {} : { description: line.description }),
    });
  }
  if (!Number.isSafeInteger(subtotalMinor)) {
    errors.push({ path: 'lines', message: `the order total is too large to price exactly in ${currency}` });
  }
  if (errors.length > 0) return { errors };

  const total = fromMinorUnits(subtotalMinor, digits);
  return {
    order: {
      orderId: order.orderId,
      customerId: order.customerId,
      requestedBy: order.requestedBy,
      submittedAt: order.submittedAt,
      currency,
      currencyDigits: digits,
      lines,
      totals: { itemCount, subtotal: total, total },
      shippingAddress: order.shippingAddress,
      ...(order.customerHistory === undefined ? {} : { customerHistory: order.customerHistory }),
      ...(order.channel === undefined ? {} : { channel: order.channel }),
    },
  };
};

const invalid = (
  eventId: string,
  processedBy: { executionId?: string },
  detail: unknown,
  errors: FieldError[],
): ProcessTaskInvalid => {
  const orderId = usableOrderId(detail);
  const ids = { eventId, ...(orderId === undefined ? {} : { orderId }), ...processedBy };
  return {
    status: 'invalid',
    ...ids,
    errors,
    validation: { error: VALIDATION_ERROR_NAME, cause: describeFieldErrors(errors), ...ids },
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value[key]` if it is a non-empty string of at most 128 characters (an id the OrderFailed event can carry). */
const usableString = (value: unknown, key: string): string | undefined => {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return typeof found === 'string' && found.length > 0 && found.length <= 128 ? found : undefined;
};

/** The detail's `orderId` if it is usable (so the OrderFailed event can name the order). */
const usableOrderId = (detail: unknown): string | undefined => usableString(detail, 'orderId');
