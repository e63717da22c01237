import type { PricedOrder } from '@flow/contracts';
import { interpretReserveCancellation, itemsToReserve, reservationKey, skuKey } from './reservation';

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

describe('interpretReserveCancellation', () => {
  it('recognises an existing reservation first, whatever the stock says', () => {
    // Act
    const result = interpretReserveCancellation(
      [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      items,
    );

    // Assert
    expect(result).toStrictEqual({ kind: 'reservation-exists' });
  });

  it('lists every short SKU with the units that were available', () => {
    // Act
    const result = interpretReserveCancellation(
      [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Item: { available: { N: '1' } } },
        { Code: 'ConditionalCheckFailed' },
      ],
      items,
    );

    // Assert
    expect(result).toStrictEqual({
      kind: 'out-of-stock',
      shortages: [
        { sku: 'A', requested: 2, available: 1 },
        { sku: 'B', requested: 5 },
      ],
    });
  });

  it('treats transaction conflicts and throttling as transient', () => {
    // Act
    const result = interpretReserveCancellation(
      [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
      items,
    );

    // Assert
    expect(result).toStrictEqual({ kind: 'transient', codes: ['None', 'TransactionConflict', 'None'] });
  });

  it('reports anything else as unexpected', () => {
    // Act
    const result = interpretReserveCancellation([{ Code: 'ValidationError' }], items);

    // Assert
    expect(result).toStrictEqual({ kind: 'unexpected', codes: ['ValidationError'] });
  });
});
