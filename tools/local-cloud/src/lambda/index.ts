export {
  LambdaRuntime,
  LambdaServiceError,
  type FunctionInfo,
  type InvokeOptions,
  type InvokeResult,
  type LambdaRuntimeOptions,
} from './runtime';
export { LambdaLogStore, type LambdaLogEntry, type LogQuery } from './log-store';
export { Bundler, LAMBDA_BUILD_OPTIONS, type Bundle } from './bundler';
export { type LambdaErrorPayload } from './protocol';
