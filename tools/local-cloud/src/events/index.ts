export { compilePattern, matchesPattern } from './pattern';
export type { CompiledPattern, JsonValue } from './pattern';
export { EventBridgeError } from './errors';
