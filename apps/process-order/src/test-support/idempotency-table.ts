import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;

/**
 * An in-memory stand-in for the idempotency table behind aws-sdk-client-mock: it implements the four calls the
 * Powertools DynamoDBPersistenceLayer makes with the semantics its condition expressions rely on (put only when
 * the key is absent, expired, or an expired in-progress lock; ConditionalCheckFailed returns the old item).
 */
export const mockIdempotencyTable = () => {
  const items = new Map<string, Item>();
  const client = mockClient(DynamoDBClient);
  const keyOf = (key: Item | undefined): string => {
    const id = key?.['id']?.S;
    if (id === undefined) throw new Error('idempotency key attribute "id" (S) missing');
    return id;
  };
  const numberAt = (item: Item, attribute: string): number | undefined => {
    const value = item[attribute]?.N;
    return value === undefined ? undefined : Number(value);
  };

  client.on(PutItemCommand).callsFake((input: { Item?: Item }) => {
    const item = input.Item ?? {};
    const id = keyOf(item);
    const existing = items.get(id);
    if (existing !== undefined) {
      const nowMs = Date.now();
      const expired = (numberAt(existing, 'expiration') ?? 0) < nowMs / 1000;
      const lockExpired =
        existing['status']?.S === 'INPROGRESS' &&
        (numberAt(existing, 'in_progress_expiration') ?? Infinity) < nowMs;
      if (!expired && !lockExpired) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: { httpStatusCode: 400 },
          Item: existing,
        });
      }
    }
    items.set(id, item);
    return {};
  });
  client
    .on(UpdateItemCommand)
    .callsFake(
      (input: {
        Key?: Item;
        UpdateExpression?: string;
        ExpressionAttributeNames?: Record<string, string>;
        ExpressionAttributeValues?: Item;
      }) => {
        const id = keyOf(input.Key);
        const item: Item = { ...(items.get(id) ?? input.Key ?? {}) };
        const assignments = (input.UpdateExpression ?? '').replace(/^SET\s+/i, '').split(',');
        for (const assignment of assignments) {
          const [name = '', value = ''] = assignment.split('=').map((part) => part.trim());
          const attribute = input.ExpressionAttributeNames?.[name] ?? name;
          const attributeValue = input.ExpressionAttributeValues?.[value];
          if (attributeValue !== undefined) item[attribute] = attributeValue;
        }
        items.set(id, item);
        return {};
      },
    );
  client.on(GetItemCommand).callsFake((input: { Key?: Item }) => {
    const item = items.get(keyOf(input.Key));
    return item === undefined ? {} : { Item: item };
  });
  client.on(DeleteItemCommand).callsFake((input: { Key?: Item }) => {
    items.delete(keyOf(input.Key));
    return {};
  });
  return { client, items };
};
