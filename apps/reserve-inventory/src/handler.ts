import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  EnvVars,
  InventoryActions,
  InventoryTaskInputSchema,
  type ReleaseInventoryOutput,
  type ReserveInventoryOutput,
  describeFieldErrors,
  toFieldErrors,
} from '@flow/contracts';
import { getDocumentClient, logger, metrics, readRequiredEnv, withObservability } from '@flow/observability';
import { InvalidTaskInputError } from './errors';
import { createDynamoDbInventoryStore } from './inventory-store';
import { type InventoryDependencies, releaseInventory, reserveInventory } from './reserve-inventory';

const tableName = readRequiredEnv(EnvVars.InventoryTableName, 'the DynamoDB inventory table');
const dependencies: InventoryDependencies = {
  store: createDynamoDbInventoryStore(getDocumentClient(), tableName),
  now: () => new Date(),
};

const inventoryTask = async (event: unknown): Promise<ReserveInventoryOutput | ReleaseInventoryOutput> => {
  const input = InventoryTaskInputSchema.safeParse(event);
  if (!input.success) {
    throw new InvalidTaskInputError(
      `reserve-inventory expects { action: 'reserve', order } or { action: 'release', orderId, reason }: ${describeFieldErrors(toFieldErrors(input.error))}`,
    );
  }
  if (input.data.action === InventoryActions.Reserve) {
    const reserved = await reserveInventory(input.data, dependencies);
    metrics.addMetric('InventoryReserved', MetricUnit.Count, 1);
    logger.info('inventory reserved', {
      reservationId: reserved.reservationId,
      items: reserved.items.length,
    });
    return reserved;
  }
  const released = await releaseInventory(input.data, dependencies);
  metrics.addMetric('InventoryReleased', MetricUnit.Count, released.status === 'released' ? 1 : 0);
  logger.info('inventory release', { status: released.status, reason: input.data.reason });
  return released;
};

/**
 * `ReserveInventory` (branch 1 of `ParallelTasks`) and `ReleaseInventory` (compensation): one function, one
 * export, the action chosen by the payload's `action` field (`reserve` | `release`).
 */
export const handler = withObservability(inventoryTask);
