import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ReleaseReason, type ReservedItem, TableKeys } from '@flow/contracts';
import { reservationKey, skuKey } from './reservation';

const PK = TableKeys.Inventory.partitionKey;

/**
 * Life of a reservation item: `pending` (being made) → `reserved` → `releasing` → `released`. A `pending` item whose
 * reservation failed for lack of stock is deleted.
 */
export type ReservationStatus = 'pending' | 'reserved' | 'releasing' | 'released';

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

/** The result of taking one SKU's units for an order. */
export type HoldResult =
  { outcome: 'held' | 'already-held' } | { outcome: 'insufficient'; available?: number };

/**
 * The inventory table, as the reserve and release logic needs it. Every call is one single-item conditional write
 * (no DynamoDB transactions), and each is idempotent per order: a SKU item records the orders holding its units in
 * the string set `holds`, so taking or returning units twice for one order has no effect.
 */
export interface InventoryStore {
  /** Puts the reservation item if none exists for the order; `false` when one exists. */
  createReservation(record: ReservationRecord): Promise<boolean>;
  /** Reads an order's reservation (strongly consistent), or `undefined`. */
  getReservation(orderId: string): Promise<ReservationRecord | undefined>;
  /** Moves the reservation to `to` if its status is one of `from`; `false` if it was not. */
  transitionReservation(
    orderId: string,
    from: readonly ReservationStatus[],
    to: ReservationStatus,
    fields?: { releasedAt: string; releaseReason: ReleaseReason },
  ): Promise<boolean>;
  /** Deletes the reservation item if it is still `pending`. */
  deletePendingReservation(orderId: string): Promise<void>;
  /** Takes `item.quantity` units of `item.sku` for the order, unless it already holds them or too few are left. */
  holdStock(orderId: string, item: ReservedItem): Promise<HoldResult>;
  /** Returns the order's units of `item.sku` to stock; `false` if the order held none. */
  returnStock(orderId: string, item: ReservedItem): Promise<boolean>;
}

/** Runs a conditional write; `false` when its condition failed. */
const conditionally = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/** The DynamoDB implementation of {@link InventoryStore} (DocumentClient; one table, partition key `pk`). */
export const createDynamoDbInventoryStore = (
  client: DynamoDBDocumentClient,
  tableName: string,
): InventoryStore => ({
  createReservation: (record) =>
    conditionally(() =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { [PK]: reservationKey(record.orderId), ...record },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      ),
    ),

  getReservation: async (orderId) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { [PK]: reservationKey(orderId) }, ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const { [PK]: _key, ...record } = Item;
    return record as ReservationRecord;
  },

  transitionReservation: (orderId, from, to, fields) => {
    const fromValues = Object.fromEntries(from.map((status, index) => [`:from${index}`, status]));
    return conditionally(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [PK]: reservationKey(orderId) },
          UpdateExpression:
            fields === undefined
              ? 'SET #status = :to'
              : 'SET #status = :to, #releasedAt = :releasedAt, #releaseReason = :releaseReason',
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(fields === undefined
              ? {}
              : { '#releasedAt': 'releasedAt', '#releaseReason': 'releaseReason' }),
          },
          ExpressionAttributeValues: {
            ':to': to,
            ...fromValues,
            ...(fields === undefined
              ? {}
              : { ':releasedAt': fields.releasedAt, ':releaseReason': fields.releaseReason }),
          },
        }),
      ),
    );
  },

  deletePendingReservation: async (orderId) => {
    await conditionally(() =>
      client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { [PK]: reservationKey(orderId) },
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        }),
      ),
    );
  },

  holdStock: async (orderId, item) => {
    const held = await conditionally(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [PK]: skuKey(item.sku) },
          UpdateExpression: 'SET #available = #available - :quantity ADD #holds :order',
          ConditionExpression: '#available >= :quantity AND NOT contains(#holds, :orderId)',
          ExpressionAttributeNames: { '#available': 'available', '#holds': 'holds' },
          ExpressionAttributeValues: {
            ':quantity': item.quantity,
            ':order': new Set([orderId]),
            ':orderId': orderId,
          },
        }),
      ),
    );
    if (held) return { outcome: 'held' };
    // The condition failed: either this order already holds the units, or too few are left.
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { [PK]: skuKey(item.sku) }, ConsistentRead: true }),
    );
    const holds: unknown = Item?.['holds'];
    if (holds instanceof Set && holds.has(orderId)) return { outcome: 'already-held' };
    const available: unknown = Item?.['available'];
    return typeof available === 'number'
      ? { outcome: 'insufficient', available }
      : { outcome: 'insufficient' };
  },

  returnStock: (orderId, item) =>
    conditionally(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [PK]: skuKey(item.sku) },
          UpdateExpression: 'SET #available = #available + :quantity DELETE #holds :order',
          ConditionExpression: 'contains(#holds, :orderId)',
          ExpressionAttributeNames: { '#available': 'available', '#holds': 'holds' },
          ExpressionAttributeValues: {
            ':quantity': item.quantity,
            ':order': new Set([orderId]),
            ':orderId': orderId,
          },
        }),
      ),
    ),
});
