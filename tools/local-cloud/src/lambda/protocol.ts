/** Messages between the Lambda runtime (main thread) and a function's worker. */

/** What the worker is started with (`workerData`). */
export interface WorkerBoot {
  bundleFile: string;
  handlerExport: string;
  /** The template's Handler (for the "is undefined or not exported" message). */
  handler: string;
  /** Node ≥ 22.1 keeps the compiled bundle here, so a new worker skips most of its compile (no-op on Node 20). */
  compileCacheDir?: string;
}

/** The Lambda context fields the main thread sends with each invocation. */
export interface ContextFields {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch ms at which the invocation times out. */
  deadlineMs: number;
  clientContext?: unknown;
}

/** Main → worker. */
export interface InvokeMessage {
  type: 'invoke';
  /** The event as JSON text. */
  payload: string;
  context: ContextFields;
  /** The X-Ray trace header to expose as `_X_AMZN_TRACE_ID`, if any. */
  traceId?: string;
}

/** A function error in Lambda's shape. */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** Worker → main. */
export type WorkerMessage =
  /** Init finished: the handler is loaded (`error` when loading it failed; the worker is then discarded). */
  | {
      type: 'ready';
      error?: LambdaErrorPayload;
      /** The worker's OS thread id (Linux), so its CPU time can be read from `/proc/<pid>/task/<tid>/stat`. */
      osThreadId?: number;
    }
  /** Output written since the last message, in order (consecutive writes of one request and stream merged). */
  | { type: 'log'; entries: { requestId: string; stream: 'stdout' | 'stderr'; text: string }[] }
  | { type: 'result'; requestId: string; ok: true; payload: string | undefined }
  | { type: 'result'; requestId: string; ok: false; error: LambdaErrorPayload };
