import { ManualClock } from './clock';
import { SqsError } from './errors';
import { SqsService, type SqsServiceOptions } from './sqs-service';

export const START = Date.UTC(2026, 0, 1);

/** An in-memory (or durable, with dataDir) service on a manual clock. */
export async function openService(
  options: SqsServiceOptions = {},
): Promise<{ sqs: SqsService; clock: ManualClock }> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(START);
  const sqs = await SqsService.open({ ...options, clock });
  return { sqs, clock };
}

/** Runs `fn` and returns the SqsError it throws (fails the test if it does not throw one). */
export function sqsErrorOf(fn: () => unknown): SqsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SqsError) return error;
    throw error;
  }
  throw new Error('expected an SqsError');
}

/** The code, query code, status and message of an SqsError, for whole-object assertions. */
export const describeError = (error: SqsError) => ({
  code: error.code,
  queryCode: error.queryCode,
  status: error.status,
  fault: error.fault,
  message: error.message,
});
