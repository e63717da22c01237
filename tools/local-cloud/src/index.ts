export { LocalCloud, type LocalCloudOptions } from './cloud';
export * from './loader';
export {
  LambdaRuntime,
  LambdaServiceError,
  LambdaLogStore,
  type FunctionInfo,
  type InvokeOptions,
  type InvokeResult,
  type LambdaLogEntry,
  type LogQuery,
} from './lambda';
export { LocalDynamoDb } from './dynamodb';
