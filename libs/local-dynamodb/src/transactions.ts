/**
 * DynamoDB operations dynalite lacks, answered in front of it: TransactWriteItems / TransactGetItems (serialised by
 * one lock, applied item by item with their conditions checked by dynalite, rolled back from the items' previous
 * images when a condition fails; the `TransactionCanceledException` names every failed condition, with the item as
 * it was when `ReturnValuesOnConditionCheckFailure` is `ALL_OLD`, as DynamoDB does) and UpdateTimeToLive / DescribeTimeToLive (recorded; items are not expired).
 *
 * Isolation is weaker than DynamoDB's: a plain write from another client can interleave with a transaction. All
 * transactions of the local cloud are serialised, so they never see each other's partial state.
 */

/** A DynamoDB JSON request to dynalite: the `X-Amz-Target` operation and the JSON body. */
export type DynamoCall = (operation: string, body: unknown) => Promise<{ status: number; body: DynamoBody }>;

/** A JSON object of a DynamoDB request or response. */
export type DynamoBody = Record<string, unknown>;

/** A response the front answers itself. */
export interface FrontResponse {
  status: number;
  body: DynamoBody;
}

type AttributeMap = Record<string, unknown>;

interface WriteOp {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  request: DynamoBody;
  tableName: string;
  key: AttributeMap;
}

const isObject = (value: unknown): value is DynamoBody =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const validation = (message: string): FrontResponse => ({
  status: 400,
  body: { __type: 'com.amazon.coral.validate#ValidationException', message },
});

/** Serialises transactions (a promise chain used as a mutex). */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release = (): void => undefined;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** Handles the operations dynalite does not implement; everything else is forwarded untouched. */
export class DynamoDbFront {
  private readonly lock = new Lock();
  private readonly keySchemas = new Map<string, string[]>();
  private readonly ttl = new Map<string, { AttributeName: string; Enabled: boolean }>();

  constructor(private readonly call: DynamoCall) {}

  /** The front's answer for `operation`, or undefined to forward the request to dynalite. */
  async handle(operation: string, body: DynamoBody): Promise<FrontResponse | undefined> {
    switch (operation) {
      case 'TransactWriteItems':
        return this.lock.run(() => this.transactWrite(body));
      case 'TransactGetItems':
        return this.lock.run(() => this.transactGet(body));
      case 'UpdateTimeToLive':
        return this.updateTimeToLive(body);
      case 'DescribeTimeToLive':
        return this.describeTimeToLive(body);
      default:
        return undefined;
    }
  }

  private async keyNames(tableName: string): Promise<string[] | FrontResponse> {
    const known = this.keySchemas.get(tableName);
    if (known !== undefined) return known;
    const described = await this.call('DescribeTable', { TableName: tableName });
    if (described.status !== 200) return described;
    const table = described.body['Table'];
    const schema = isObject(table) && Array.isArray(table['KeySchema']) ? table['KeySchema'] : [];
    const names = schema.filter(isObject).map((key) => String(key['AttributeName']));
    this.keySchemas.set(tableName, names);
    return names;
  }

  private async parseWrites(body: DynamoBody): Promise<WriteOp[] | FrontResponse> {
    const items = body['TransactItems'];
    if (!Array.isArray(items) || items.length === 0) {
      return validation(
        "1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null",
      );
    }
    if (items.length > 100) {
      return validation(
        `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100`,
      );
    }
    const ops: WriteOp[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const kind = isObject(item)
        ? (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((k) => isObject(item[k]))
        : undefined;
      const request = kind === undefined || !isObject(item) ? undefined : item[kind];
      if (kind === undefined || !isObject(request) || typeof request['TableName'] !== 'string') {
        return validation('TransactItems can only contain one of Check, Put, Update or Delete');
      }
      const tableName = request['TableName'];
      let key: AttributeMap;
      if (kind === 'Put') {
        const names = await this.keyNames(tableName);
        if (!Array.isArray(names)) return names;
        const full = isObject(request['Item']) ? request['Item'] : {};
        key = Object.fromEntries(names.map((name) => [name, full[name]]));
      } else {
        key = isObject(request['Key']) ? request['Key'] : {};
      }
      const identity = `${tableName}\u0000${JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)))}`;
      if (seen.has(identity)) {
        return validation('Transaction request cannot include multiple operations on one item');
      }
      seen.add(identity);
      ops.push({ kind, request, tableName, key });
    }
    return ops;
  }

  private async transactWrite(body: DynamoBody): Promise<FrontResponse> {
    const parsed = await this.parseWrites(body);
    if (!Array.isArray(parsed)) return parsed;
    /** Each item as it was before the transaction (known once its write or check answered). */
    const images: (AttributeMap | undefined)[] = [];
    /** Reads an item as it is now: `item` (absent when there is none), or the failed read's `error`. */
    const imageOf = async (
      op: WriteOp,
    ): Promise<{ item?: AttributeMap; error?: { status: number; body: DynamoBody } }> => {
      const got = await this.call('GetItem', { TableName: op.tableName, Key: op.key, ConsistentRead: true });
      if (got.status !== 200) return { error: got };
      return isObject(got.body['Item']) ? { item: got.body['Item'] } : {};
    };
    const restore = async (index: number): Promise<void> => {
      const op = parsed[index];
      if (op === undefined) return;
      const image = images[index];
      if (image === undefined) await this.call('DeleteItem', { TableName: op.tableName, Key: op.key });
      else await this.call('PutItem', { TableName: op.tableName, Item: image });
    };
    const conditionFields = (request: DynamoBody): DynamoBody =>
      Object.fromEntries(
        ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues']
          .filter((name) => request[name] !== undefined)
          .map((name) => [name, request[name]]),
      );
    // Every item is distinct, so each condition sees the item as it was before the transaction, whatever was
    // applied before it: all are checked (DynamoDB reports a reason per item), and any failure undoes the rest.
    const applied: number[] = [];
    const failed = new Set<number>();
    const undo = async (): Promise<void> => {
      for (const index of applied.reverse()) await restore(index);
    };
    for (const [index, op] of parsed.entries()) {
      const { ReturnValuesOnConditionCheckFailure: _returnOld, ...request } = op.request;
      let result: { status: number; body: DynamoBody };
      if (op.kind === 'ConditionCheck') {
        const { item: image, error } = await imageOf(op);
        if (error !== undefined) {
          await undo();
          return error;
        }
        images[index] = image;
        // dynalite checks the condition on a write that leaves the item as it was; an item it created is removed.
        result = await this.call('PutItem', {
          TableName: op.tableName,
          Item: image ?? op.key,
          ...conditionFields(request),
        });
        if (result.status === 200 && image === undefined) await restore(index);
      } else {
        // The write answers with the item as it was (its image for an undo): no read before it.
        result = await this.call(`${op.kind}Item`, { ...request, ReturnValues: 'ALL_OLD' });
        if (result.status === 200) {
          const old = result.body['Attributes'];
          images[index] = isObject(old) ? old : undefined;
          applied.push(index);
          continue;
        }
      }
      if (result.status === 200) continue;
      if (String(result.body['__type'] ?? '').endsWith('#ConditionalCheckFailedException')) {
        failed.add(index);
        continue;
      }
      await undo();
      return result;
    }
    if (failed.size > 0) {
      await undo();
      const reasons: DynamoBody[] = [];
      for (const [i, op] of parsed.entries()) {
        if (!failed.has(i)) {
          reasons.push({ Code: 'None' });
          continue;
        }
        // A failed write changed nothing, so the item as it is now is the item as it was.
        const image =
          op.request['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD'
            ? (await imageOf(op)).item
            : undefined;
        reasons.push({
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(image === undefined ? {} : { Item: image }),
        });
      }
      return {
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => String(r['Code'])).join(', ')}]`,
          CancellationReasons: reasons,
        },
      };
    }
    return { status: 200, body: {} };
  }

  private async transactGet(body: DynamoBody): Promise<FrontResponse> {
    const items = body['TransactItems'];
    if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
      return validation(
        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and 100",
      );
    }
    const responses: DynamoBody[] = [];
    for (const item of items) {
      const get = isObject(item) ? item['Get'] : undefined;
      if (!isObject(get)) return validation('TransactItems can only contain Get');
      const got = await this.call('GetItem', { ...get, ConsistentRead: true });
      if (got.status !== 200) return got;
      responses.push(isObject(got.body['Item']) ? { Item: got.body['Item'] } : {});
    }
    return { status: 200, body: { Responses: responses } };
  }

  private async updateTimeToLive(body: DynamoBody): Promise<FrontResponse> {
    const tableName = body['TableName'];
    const spec = body['TimeToLiveSpecification'];
    if (typeof tableName !== 'string' || !isObject(spec) || typeof spec['AttributeName'] !== 'string') {
      return validation(
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
      );
    }
    const described = await this.call('DescribeTable', { TableName: tableName });
    if (described.status !== 200) return described;
    const value = { AttributeName: spec['AttributeName'], Enabled: spec['Enabled'] === true };
    this.ttl.set(tableName, value);
    return { status: 200, body: { TimeToLiveSpecification: value } };
  }

  private async describeTimeToLive(body: DynamoBody): Promise<FrontResponse | undefined> {
    const tableName = body['TableName'];
    const value = typeof tableName === 'string' ? this.ttl.get(tableName) : undefined;
    if (value === undefined) return undefined;
    return {
      status: 200,
      body: {
        TimeToLiveDescription: value.Enabled
          ? { TimeToLiveStatus: 'ENABLED', AttributeName: value.AttributeName }
          : { TimeToLiveStatus: 'DISABLED' },
      },
    };
  }
}
