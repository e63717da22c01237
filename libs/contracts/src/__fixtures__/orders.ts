import type { OrderSubmittedDetail } from '../order-submitted';
import type { PricedOrder } from '../process-task';

/** A valid `OrderSubmitted` detail; tests `structuredClone` it before changing a field. */
export const validOrderDetail: OrderSubmittedDetail = {
  orderId: 'ord-1001',
  customerId: 'cust-042',
  requestedBy: 'carol',
  submittedAt: '2026-11-24T09:30:00Z',
  currency: 'EUR',
  lines: [
    { sku: 'BOOK-001', quantity: 2, unitPrice: 19.9 },
    { sku: 'PEN-010', quantity: 3, unitPrice: 4.5 },
  ],
  shippingAddress: {
    name: 'Ada Lovelace',
    line1: '12 Analytical Row',
    city: 'London',
    postalCode: 'EC1A 1BB',
    country: 'GB',
  },
};

/** The same order after ProcessTask. */
export const pricedOrder: PricedOrder = {
  orderId: 'ord-1001',
  customerId: 'cust-042',
  requestedBy: 'carol',
  submittedAt: '2026-11-24T09:30:00Z',
  currency: 'EUR',
  currencyDigits: 2,
  lines: [
    { sku: 'BOOK-001', quantity: 2, unitPrice: 19.9, lineTotal: 39.8 },
    { sku: 'PEN-010', quantity: 3, unitPrice: 4.5, lineTotal: 13.5 },
  ],
  totals: { itemCount: 5, subtotal: 53.3, total: 53.3 },
  shippingAddress: {
    name: 'Ada Lovelace',
    line1: '12 Analytical Row',
    city: 'London',
    postalCode: 'EC1A 1BB',
    country: 'GB',
  },
};

export const executionArn = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:run-1';
