import { randomBytes } from 'node:crypto';
import { sqsErrors } from './errors';

/** What a receipt handle stands for: one receive of one message of one queue. */
export interface ReceiptHandleParts {
  queueName: string;
  messageId: string;
  receiveCount: number;
}

const PREFIX = 'AQEB';
/** Random per process, plus a counter: unique handles without a random-number syscall per receive. */
const PROCESS_NONCE = randomBytes(8).toString('hex');
let counter = 0;

/** A new opaque receipt handle for the `receiveCount`-th receive of a message. */
export function newReceiptHandle(parts: ReceiptHandleParts): string {
  const raw = `${parts.queueName}\u0000${parts.messageId}\u0000${parts.receiveCount}\u0000${PROCESS_NONCE}${(counter++).toString(36)}`;
  return PREFIX + Buffer.from(raw, 'utf8').toString('base64url');
}

/** Decodes a receipt handle; throws ReceiptHandleIsInvalid when it is not one this service handed out. */
export function parseReceiptHandle(handle: unknown): ReceiptHandleParts {
  if (handle === undefined || handle === null || handle === '')
    throw sqsErrors.missingParameter('ReceiptHandle');
  if (typeof handle !== 'string' || !handle.startsWith(PREFIX))
    throw sqsErrors.receiptHandleIsInvalid(String(handle));
  const parts = Buffer.from(handle.slice(PREFIX.length), 'base64url').toString('utf8').split('\u0000');
  const [queueName, messageId, count, nonce] = parts;
  if (parts.length !== 4 || !queueName || !messageId || !nonce || !/^\d+$/.test(count ?? '')) {
    throw sqsErrors.receiptHandleIsInvalid(handle);
  }
  return { queueName, messageId, receiveCount: Number(count) };
}
