import type { PricedOrder } from '@flow/contracts';
import { itemsToReserve, reservationKey, skuKey } from './reservation';

const items = [
  { sku: 'A', quantity: 2 },
  { sku: 'B', quantity: 5 },
];

describe('itemsToReserve', () => {
  it('sums lines of the same SKU in first-seen order', () => {
    // Arrange
    const lines = [
      { sku: 'A', quantity: 1, unitPrice: 1, lineTotal: 1 },
      { sku: 'B', quantity: 5, unitPrice: 1, lineTotal: 5 },
      { sku: 'A', quantity: 1, unitPrice: 1, lineTotal: 1 },
    ];

    // Act
    const result = itemsToReserve({ lines } as unknown as PricedOrder);

    // Assert
    expect(result).toStrictEqual(items);
  });
});

describe('table keys', () => {
  it('prefix SKU and reservation items', () => {
    // Act & Assert
    expect([skuKey('A-1'), reservationKey('ord-1')]).toStrictEqual(['SKU#A-1', 'RESERVATION#ord-1']);
  });
});
