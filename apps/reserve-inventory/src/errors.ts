import { TaskErrorNames } from '@flow/contracts';

/**
 * Errors reserve-inventory throws (their `name` is the Lambda function error type the workflow's Retry/Catch match,
 * from `TaskErrorNames` in @flow/contracts):
 *
 * - `TransientDependencyError` (retryable): DynamoDB throttled, conflicted or failed server-side;
 * - `OutOfStockError` (terminal): at least one SKU has fewer units available than ordered; nothing was reserved;
 * - `ReservationConflictError` (terminal): the order's reservation was already released, so it is not made again;
 * - `InvalidTaskInputError` (terminal): the payload does not match the contract.
 */
export { InvalidTaskInputError, TransientDependencyError } from '@flow/observability';

/** One SKU that could not be reserved. */
export interface StockShortage {
  sku: string;
  requested: number;
  /** Units available when the reservation was attempted; absent when the SKU is not stocked at all. */
  available?: number;
}

/** Not enough stock for at least one line; the whole reservation was cancelled (all or nothing). */
export class OutOfStockError extends Error {
  public readonly shortages: readonly StockShortage[];

  public constructor(orderId: string, shortages: readonly StockShortage[], options?: ErrorOptions) {
    const list = shortages
      .map(({ sku, requested, available }) =>
        available === undefined
          ? `${sku} (not stocked)`
          : `${sku} (${available} available, ${requested} requested)`,
      )
      .join(', ');
    super(`Not enough stock for order ${orderId}: ${list}`, options);
    this.name = TaskErrorNames.OutOfStock;
    this.shortages = shortages;
  }
}

/** The order's reservation exists in a state that forbids the requested action. */
export class ReservationConflictError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = TaskErrorNames.ReservationConflict;
  }
}
