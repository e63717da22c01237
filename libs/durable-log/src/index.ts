export { DurableLog, DurableLogCorruptionError } from './durable-log';
export type { DurableLogOptions, RecoveredState } from './durable-log';
export { crc32, crc32Hex } from './crc32';
export { DurableLogLockedError } from './lock';
