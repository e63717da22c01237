import { type CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type ReleaseReason, type ReservedItem, TableKeys } from '@flow/contracts';
import { type StockShortage, TransientDependencyError } from './errors';
import { reservationKey, skuKey } from './reservation';

const PK = TableKeys.Inventory.partitionKey;

/** DynamoDB's limit of actions in one `TransactWriteItems`. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * Status of a reservation item. This version writes `reserved` (with the stock, in one transaction) and `released`
 * (with the stock returned, in one transaction). `pending` and `releasing` exist only on reservations that the
 * earlier version (single-item writes) left half-way.
 */
export type ReservationStatus = 'reserved' | 'released' | 'pending' | 'releasing';

/** A reservation as stored (`RESERVATION#<orderId>`). */
export interface ReservationRecord {
  orderId: string;
  status: ReservationStatus;
  items: ReservedItem[];
  reservedAt: string;
  releasedAt?: string;
  releaseReason?: ReleaseReason;
  executionId?: string;
}

/** What {@link InventoryStore.reserve} did. */
export type ReserveResult =
  /** The reservation item was written and every SKU's units taken. */
  | { outcome: 'reserved' }
  /** The order already has a reservation item; nothing was written. */
  | { outcome: 'exists' }
  /** At least one SKU has too few units (or is not stocked); nothing was written. */
  | { outcome: 'out-of-stock'; shortages: StockShortage[] };

/** What {@link InventoryStore.release} did. */
export type ReleaseResult =
  /** The reservation went from `reserved` to `released` and its units were returned. */
  | { outcome: 'released' }
  /** The reservation was no longer `reserved` (released meanwhile, or absent); nothing was written. */
  | { outcome: 'not-reserved' };

/** When and why a reservation is released. */
export interface ReleaseFields {
  releasedAt: string;
  releaseReason: ReleaseReason;
}

/**
 * The inventory table, as the reserve and release logic needs it. A reservation and its release are each one
 * DynamoDB transaction (all or nothing) over the reservation item and the SKU items: the reservation item's status
 * condition makes each happen once per order, so no item records which orders hold a SKU and none grows with the
 * number of orders.
 *
 * @throws TransientDependencyError when DynamoDB cancels a transaction for a conflict with another one or for
 * throttling (retry)
 */
export interface InventoryStore {
  /** Reads an order's reservation (strongly consistent), or `undefined`. */
  getReservation(orderId: string): Promise<ReservationRecord | undefined>;
  /** Writes the reservation (status `reserved`) and takes its units from stock, unless it exists or stock is short. */
  reserve(record: ReservationRecord): Promise<ReserveResult>;
  /** Marks a `reserved` reservation `released` and returns its units to stock. */
  release(record: ReservationRecord, fields: ReleaseFields): Promise<ReleaseResult>;
}

/** Cancellation reason codes that mean "try again": another transaction or the table's capacity was in the way. */
const RETRYABLE_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** The number in a DynamoDB JSON attribute (`{ N: '12' }`), or `undefined`. */
const numberAttribute = (item: CancellationReason['Item'], name: string): number | undefined => {
  const value = item?.[name]?.N;
  return value === undefined ? undefined : Number(value);
};

/**
 * Runs a transaction; `undefined` when it succeeded, else the reason per item. Throws TransientDependencyError for a
 * conflict or throttling, and any other failure as it came.
 */
const transact = async (
  client: DynamoDBDocumentClient,
  command: TransactWriteCommand,
  what: string,
): Promise<CancellationReason[] | undefined> => {
  try {
    await client.send(command);
    return undefined;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const retryable = reasons.find(({ Code }) => Code !== undefined && RETRYABLE_CODES.has(Code));
    if (retryable !== undefined) {
      throw new TransientDependencyError(`${what} was cancelled (${retryable.Code}); retry`, {
        cause: error,
      });
    }
    if (!reasons.some(({ Code }) => Code === 'ConditionalCheckFailed')) throw error;
    return reasons;
  }
};

/** The DynamoDB implementation of {@link InventoryStore} (DocumentClient; one table, partition key `pk`). */
export const createDynamoDbInventoryStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
): InventoryStore => ({
  getReservation: async (orderId) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { [PK]: reservationKey(orderId) }, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const { [PK]: _key, ...record } = Item;
    return record as ReservationRecord;
  },

  reserve: async (record) => {
    if (1 + record.items.length > MAX_TRANSACTION_ITEMS) {
      throw new Error(
        `Order ${record.orderId} has ${record.items.length} SKUs; one reservation holds at most ${MAX_TRANSACTION_ITEMS - 1}`,
      );
    }
    const reasons = await transact(
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
              ConditionExpression: '#available >= :quantity',
              ExpressionAttributeNames: { '#available': 'available' },
              ExpressionAttributeValues: { ':quantity': item.quantity },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          })),
        ],
      }),
      `The reservation of order ${record.orderId}`,
    );
    if (reasons === undefined) return { outcome: 'reserved' };
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return { outcome: 'exists' };
    const shortages = record.items.flatMap((item, index): StockShortage[] => {
      const reason = reasons[index + 1];
      if (reason?.Code !== 'ConditionalCheckFailed') return [];
      // No item (or no `available`): the SKU is not stocked.
      const available = numberAttribute(reason.Item, 'available');
      return [{ sku: item.sku, requested: item.quantity, ...(available === undefined ? {} : { available }) }];
    });
    return { outcome: 'out-of-stock', shortages };
  },

  release: async (record, fields) => {
    const reasons = await transact(
      client,
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: { [PK]: reservationKey(record.orderId) },
              UpdateExpression:
                'SET #status = :released, #releasedAt = :releasedAt, #releaseReason = :releaseReason',
              ConditionExpression: '#status = :reserved',
              ExpressionAttributeNames: {
                '#status': 'status',
                '#releasedAt': 'releasedAt',
                '#releaseReason': 'releaseReason',
              },
              ExpressionAttributeValues: {
                ':released': 'released',
                ':reserved': 'reserved',
                ':releasedAt': fields.releasedAt,
                ':releaseReason': fields.releaseReason,
              },
            },
          },
          // Unconditional: the units go back even to a SKU item deleted meanwhile (recreated with them).
          ...record.items.map((item) => ({
            Update: {
              TableName: tableName,
              Key: { [PK]: skuKey(item.sku) },
              UpdateExpression: 'SET #sku = if_not_exists(#sku, :sku) ADD #available :quantity',
              ExpressionAttributeNames: { '#sku': 'sku', '#available': 'available' },
              ExpressionAttributeValues: { ':sku': item.sku, ':quantity': item.quantity },
            },
          })),
        ],
      }),
      `The release of order ${record.orderId}`,
    );
    return reasons === undefined ? { outcome: 'released' } : { outcome: 'not-reserved' };
  },
});
