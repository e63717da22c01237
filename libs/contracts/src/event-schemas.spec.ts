import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eventDetailJsonSchema } from './event-schemas';
import { DetailTypes } from './names';

const schemasDir = path.join(__dirname, '..', 'schemas');

describe('event JSON Schemas', () => {
  it.each(Object.values(DetailTypes))(
    'schemas/%s.json matches the zod schema (run `npx nx run contracts:schemas` after changing a contract)',
    (detailType) => {
      // Arrange
      const committed: unknown = JSON.parse(
        readFileSync(path.join(schemasDir, `${detailType}.json`), 'utf8'),
      );

      // Act
      const generated = eventDetailJsonSchema(detailType);

      // Assert
      expect(committed).toStrictEqual(generated);
    },
  );

  it('describes OrderSubmitted with its required fields and line constraints', () => {
    // Act
    const schema = eventDetailJsonSchema(DetailTypes.OrderSubmitted);

    // Assert
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://schemas.example.com/orders/OrderSubmitted.json',
      title: 'OrderSubmitted',
      type: 'object',
      required: [
        'orderId',
        'customerId',
        'requestedBy',
        'submittedAt',
        'currency',
        'lines',
        'shippingAddress',
      ],
      properties: { lines: { type: 'array', minItems: 1, maxItems: 50 } },
    });
  });
});
