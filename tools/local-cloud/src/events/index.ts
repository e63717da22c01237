export { compilePattern, matchesPattern } from './pattern';
export type { CompiledPattern, JsonValue } from './pattern';
export { EventBridgeError } from './errors';
export { EventBridgeService } from './event-bridge-service';
export { CronSchedule, InvalidScheduleError, parseScheduleExpression } from './schedule';
export type { Schedule } from './schedule';
export type { EventBridgeServiceOptions, TargetDispatcher } from './event-bridge-service';
export { renderInputTemplate, targetInput } from './input-transform';
export type * from './types';
