import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';

/**
 * The specs' reservation: one transaction that records `orderId` (once: `attribute_not_exists`) and takes one unit
 * from the `stock` item's count `n` (only while one is left), both in the `approvals` table. `returnOld` asks for
 * each failed item's old image in the cancellation reasons.
 */
export const takeOneUnit = (orderId: string, returnOld?: 'ALL_OLD'): TransactWriteItemsCommand =>
  new TransactWriteItemsCommand({
    TransactItems: [
      {
        Put: {
          TableName: 'approvals',
          Item: { pk: { S: orderId } },
          ConditionExpression: 'attribute_not_exists(pk)',
          ...(returnOld === undefined ? {} : { ReturnValuesOnConditionCheckFailure: returnOld }),
        },
      },
      {
        Update: {
          TableName: 'approvals',
          Key: { pk: { S: 'stock' } },
          UpdateExpression: 'SET n = n - :one',
          ConditionExpression: 'n >= :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
          ...(returnOld === undefined ? {} : { ReturnValuesOnConditionCheckFailure: returnOld }),
        },
      },
    ],
  });
