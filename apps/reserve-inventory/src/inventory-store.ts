import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type ReleaseReason, type ReservedItem, TableKeys } from '@flow/contracts';
import { type CancellationReason, reservationKey, skuKey } from './reservation';

const PK = TableKeys.Inventory.partitionKey;

/** A reservation as stored. */
export interface ReservationRecord {
  orderId: string;
  status: 'reserved' | 'released';
  items: ReservedItem[];
  reservedAt: string;
  releasedAt?: string;
  releaseReason?: ReleaseReason;
  executionId?: string;
}

/** The result of one transaction attempt. */
export type WriteResult = { ok: true } | { ok: false; reasons: CancellationReason[] };

/** The inventory table (stock and reservations), as the reserve and release logic needs it. */
export interface InventoryStore {
  /** Atomically records the reservation (only if none exists) and takes each item's units from stock (only if available). */
  reserve(record: ReservationRecord): Promise<WriteResult>;
  /** Reads an order's reservation (strongly consistent), or `undefined`. */
  getReservation(orderId: string): Promise<ReservationRecord | undefined>;
  /** Atomically marks the reservation released (only if still reserved) and returns its units to stock. */
  release(record: ReservationRecord, releasedAt: string, reason: ReleaseReason): Promise<WriteResult>;
}

/** Runs a transaction; a cancellation becomes `{ ok: false, reasons }`, any other error is thrown as is. */
const transact = async (
  client: DynamoDBDocumentClient,
  command: TransactWriteCommand,
): Promise<WriteResult> => {
  try {
    await client.send(command);
    return { ok: true };
  } catch (error) {
    if (error instanceof TransactionCanceledException)
      return { ok: false, reasons: error.CancellationReasons ?? [] };
    throw error;
  }
};

/** The DynamoDB implementation of {@link InventoryStore} (DocumentClient; one table, partition key `pk`). */
export const createDynamoDbInventoryStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
): InventoryStore => ({
  reserve: (record) =>
    transact(
      client,
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { [PK]: reservationKey(record.orderId), ...record },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': PK },
            },
          },
          ...record.items.map((item) => ({
            Update: {
              TableName: tableName,
              Key: { [PK]: skuKey(item.sku) },
              UpdateExpression: 'SET #available = #available - :quantity',
              ConditionExpression: 'attribute_exists(#pk) AND #available >= :quantity',
              ExpressionAttributeNames: { '#pk': PK, '#available': 'available' },
              ExpressionAttributeValues: { ':quantity': item.quantity },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          })),
        ],
      }),
    ),

  getReservation: async (orderId) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { [PK]: reservationKey(orderId) }, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const { [PK]: _key, ...record } = Item;
    return record as ReservationRecord;
  },

  release: (record, releasedAt, reason) =>
    transact(
      client,
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: { [PK]: reservationKey(record.orderId) },
              UpdateExpression:
                'SET #status = :released, #releasedAt = :releasedAt, #releaseReason = :reason',
              ConditionExpression: '#status = :reserved',
              ExpressionAttributeNames: {
                '#status': 'status',
                '#releasedAt': 'releasedAt',
                '#releaseReason': 'releaseReason',
              },
              ExpressionAttributeValues: {
                ':released': 'released',
                ':reserved': 'reserved',
                ':releasedAt': releasedAt,
                ':reason': reason,
              },
            },
          },
          ...record.items.map((item) => ({
            Update: {
              TableName: tableName,
              Key: { [PK]: skuKey(item.sku) },
              UpdateExpression: 'ADD #available :quantity',
              ExpressionAttributeNames: { '#available': 'available' },
              ExpressionAttributeValues: { ':quantity': item.quantity },
            },
          })),
        ],
      }),
    ),
});
