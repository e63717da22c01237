/**
 * The bootstrap that runs inside each function's worker thread (bundled by esbuild at start-up, like a Lambda
 * runtime interface client): loads the function's bundle, runs the handler with a Lambda-shaped context, captures
 * stdout/stderr per request, and answers results and errors in Lambda's shape.
 */
import { readlinkSync } from 'node:fs';
import nodeModule from 'node:module';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { type InvokeMessage, type LambdaErrorPayload, type WorkerBoot, type WorkerMessage } from './protocol';

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (error: unknown, result?: unknown) => void,
) => unknown;

const boot = workerData as WorkerBoot;
const port = parentPort;
if (port === null) throw new Error('worker-main must run in a worker thread');

let currentRequestId = '';
const post = (message: WorkerMessage): void => port.postMessage(message);

// ---- log capture: every write to stdout/stderr goes to the main thread, tagged with the request id. Writes are
// batched per turn of the event loop (one message for many lines) and always flushed before a result.
type LogChunk = { requestId: string; stream: 'stdout' | 'stderr'; text: string };
let pendingLogs: LogChunk[] = [];
let flushScheduled = false;
const flushLogs = (): void => {
  flushScheduled = false;
  if (pendingLogs.length === 0) return;
  const entries = pendingLogs;
  pendingLogs = [];
  post({ type: 'log', entries });
};
const capture =
  (stream: 'stdout' | 'stderr') =>
  (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text =
      typeof chunk === 'string'
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : String(chunk);
    const last = pendingLogs[pendingLogs.length - 1];
    if (last !== undefined && last.requestId === currentRequestId && last.stream === stream)
      last.text += text;
    else pendingLogs.push({ requestId: currentRequestId, stream, text });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flushLogs);
    }
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
// A handler that calls process.exit still gets its last lines recorded.
process.on('exit', flushLogs);
process.stdout.write = capture('stdout') as typeof process.stdout.write;
process.stderr.write = capture('stderr') as typeof process.stderr.write;

// ---- console as Lambda's Node runtime formats it: `<ISO time>\t<request id>\t<LEVEL>\t<message>`.
const consoleLine =
  (level: string, stream: 'stdout' | 'stderr') =>
  (...args: unknown[]): void => {
    const text = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`;
    (stream === 'stdout' ? process.stdout : process.stderr).write(text);
  };
console.log = consoleLine('INFO', 'stdout');
console.info = consoleLine('INFO', 'stdout');
console.debug = consoleLine('DEBUG', 'stdout');
console.trace = consoleLine('TRACE', 'stdout');
console.warn = consoleLine('WARN', 'stderr');
console.error = consoleLine('ERROR', 'stderr');

process.setSourceMapsEnabled(true);

/** Posts a request's result after the log lines written before it. */
const postResult = (message: WorkerMessage): void => {
  flushLogs();
  post(message);
};

/** An error as Lambda's Node runtime reports it. */
const toLambdaError = (error: unknown): LambdaErrorPayload => {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
};

let handler: Handler | undefined;
let initError: LambdaErrorPayload | undefined;

/** Node ≥ 22.1: compiled code cached on disk (the bundles are large; each new worker would compile them again). */
const enableCompileCache = (dir: string | undefined): void => {
  const { enableCompileCache: enable } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
  try {
    if (dir !== undefined) enable?.(dir);
  } catch {
    // Only a cache.
  }
};

/** Lambda's init phase: loads the function's module and finds the handler export. */
const init = (): void => {
  enableCompileCache(boot.compileCacheDir);
  let moduleExports: Record<string, unknown>;
  try {
    moduleExports = require(boot.bundleFile) as Record<string, unknown>;
  } catch (error) {
    initError = toLambdaError(error);
    return;
  }
  const candidate = moduleExports[boot.handlerExport];
  if (typeof candidate !== 'function') {
    initError = {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: `${boot.handler} is undefined or not exported`,
      trace: [`Runtime.HandlerNotFound: ${boot.handler} is undefined or not exported`],
    };
    return;
  }
  handler = candidate as Handler;
};

const loadHandler = (): Handler => {
  if (handler !== undefined) return handler;
  throw initError ?? new Error('the handler is not loaded');
};

const isLambdaError = (value: unknown): value is LambdaErrorPayload =>
  typeof value === 'object' && value !== null && 'errorType' in value && 'trace' in value;

const run = async (message: InvokeMessage): Promise<unknown> => {
  const fn = loadHandler();
  const fields = message.context;
  const event: unknown = JSON.parse(message.payload);
  return new Promise((resolve, reject) => {
    const context = {
      ...fields,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: (): number => Math.max(0, fields.deadlineMs - Date.now()),
      done: (error: unknown, result?: unknown): void => (error == null ? resolve(result) : reject(error)),
      succeed: (result: unknown): void => resolve(result),
      fail: (error: unknown): void => reject(error),
    };
    const callback = (error: unknown, result?: unknown): void =>
      error == null ? resolve(result) : reject(error);
    try {
      const returned = fn(event, context, callback);
      if (returned !== null && typeof returned === 'object' && 'then' in returned) {
        (returned as Promise<unknown>).then(resolve, reject);
      } else if (fn.length < 3) {
        resolve(returned);
      }
    } catch (error) {
      reject(error);
    }
  });
};

process.on('unhandledRejection', (reason) => {
  const error = toLambdaError(reason);
  postResult({
    type: 'result',
    requestId: currentRequestId,
    ok: false,
    error: {
      ...error,
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: `${error.errorType}: ${error.errorMessage}`,
    },
  });
});

// Init runs when the environment starts, before any invocation (its time does not count toward a request's timeout).
init();
flushLogs();
/** This thread's OS id, where `/proc/thread-self` exists (Linux); the benchmarks read its CPU time by it. */
const osThreadId = (): number | undefined => {
  try {
    const id = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1];
    return id === undefined ? undefined : Number(id);
  } catch {
    return undefined;
  }
};
const threadId = osThreadId();
post({
  type: 'ready',
  ...(initError === undefined ? {} : { error: initError }),
  ...(threadId === undefined ? {} : { osThreadId: threadId }),
});

port.on('message', (message: InvokeMessage) => {
  if (message.type !== 'invoke') return;
  currentRequestId = message.context.awsRequestId;
  if (message.traceId === undefined) delete process.env['_X_AMZN_TRACE_ID'];
  else process.env['_X_AMZN_TRACE_ID'] = message.traceId;
  const requestId = currentRequestId;
  run(message).then(
    (result) => {
      let payload: string | undefined;
      try {
        payload = result === undefined ? 'null' : JSON.stringify(result);
      } catch (error) {
        postResult({
          type: 'result',
          requestId,
          ok: false,
          error: {
            errorType: 'Runtime.MarshalError',
            errorMessage: `Unable to stringify response body: ${error instanceof Error ? error.message : String(error)}`,
            trace: [],
          },
        });
        return;
      }
      postResult({ type: 'result', requestId, ok: true, payload });
    },
    (error: unknown) => {
      postResult({
        type: 'result',
        requestId,
        ok: false,
        error: isLambdaError(error) ? error : toLambdaError(error),
      });
    },
  );
});
