import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type FunctionSpec } from '../loader/types';
import { type Bundle, Bundler } from './bundler';
import { type LambdaLogStore } from './log-store';
import {
  type ContextFields,
  type InvokeMessage,
  type LambdaErrorPayload,
  type WorkerBoot,
  type WorkerMessage,
} from './protocol';
import { type Slot, SlotUnavailable, WorkerPool } from './worker-pool';

/** Lambda's synchronous request payload limit (6 MB). */
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Lambda's asynchronous request payload limit (1 MB since 2025; 256 KB before). */
const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

/** An error of the Lambda service itself (not of the function): the AWS code, HTTP status and message. */
export class LambdaServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** `Reason` member some errors carry (e.g. `ReservedFunctionConcurrentInvocationLimitExceeded`). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Options of an invocation. */
export interface InvokeOptions {
  /** `RequestResponse` (default) waits for the result; `Event` queues it and answers 202; `DryRun` answers 204. */
  invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** The execution whose task invokes the function (recorded with its log lines). */
  executionArn?: string;
  /** X-Ray trace header, exposed to the handler as `_X_AMZN_TRACE_ID`. */
  traceHeader?: string;
  /** Client context (base64 JSON on the wire; already decoded here). */
  clientContext?: unknown;
  /**
   * The caller gave up (e.g. its Task timed out or its execution stopped): an invocation still waiting for a worker
   * leaves the queue without running; one already running goes on (as in Lambda).
   */
  signal?: AbortSignal;
}

/** The result of an invocation, as Lambda's Invoke answers it. */
export interface InvokeResult {
  /** 200 for RequestResponse (also for a function error), 202 for Event, 204 for DryRun. */
  statusCode: number;
  /** The response payload (JSON text); for a function error, Lambda's `{errorType, errorMessage, trace}`. */
  payload: string;
  /** `Unhandled` when the function failed (the `X-Amz-Function-Error` header). */
  functionError?: 'Unhandled';
  executedVersion: '$LATEST';
  requestId: string;
}

/** Options of the {@link LambdaRuntime}. */
export interface LambdaRuntimeOptions {
  /** Repository root (handler entries are relative to it). */
  repoRoot: string;
  /** Data folder: bundles go to `<dataDir>/bundles`. */
  dataDir: string;
  /** The local endpoint the handlers' SDK clients use (`AWS_ENDPOINT_URL`); a function so the port can come later. */
  endpoint: () => string;
  logs: LambdaLogStore;
  accountId?: string;
  region?: string;
  /**
   * Workers (execution environments) per function without reserved concurrency; invocations beyond them wait for a
   * free one. Default: `LOCAL_CLOUD_LAMBDA_MAX_WORKERS`, else {@link DEFAULT_MAX_WORKERS_PER_FUNCTION}.
   */
  maxWorkersPerFunction?: number;
  /**
   * An idle worker is stopped after this long without a request (Lambda reclaims idle environments too); each
   * function keeps its most recently used one warm. Default 5 minutes.
   */
  idleWorkerTimeoutMs?: number;
  /** Start one worker per function in the background after {@link LambdaRuntime.prepare} bundled them. Default true. */
  prewarm?: boolean;
  /** Extra environment for every function (applied before the function's own variables). */
  baseEnvironment?: Record<string, string>;
  /**
   * Service-specific endpoints (`AWS_ENDPOINT_URL_<SERVICE>`) that override `AWS_ENDPOINT_URL` for one service, e.g.
   * DynamoDB straight to dynalite. Applied after the function's own variables.
   */
  serviceEndpoints?: () => Record<string, string>;
  /**
   * Delays before retrying an asynchronous (`Event`) invocation whose function failed; Lambda retries twice, after
   * about one and then two minutes (the default).
   */
  asyncRetryDelaysMs?: readonly number[];
}

/**
 * Workers per function by default: one per CPU core, and at least 2. A worker serves one request at a time, and a
 * request mostly waits for the AWS calls it makes (answered by this same process), so a couple per function keep the
 * CPU busy and let a slow request not hold up the next; more only add memory (each worker holds its own copy of the
 * handler's bundle, SDK included), cold starts and GC. On this project's 2-core machines, 4 workers per function cost
 * ≈ 20% more CPU per workflow execution than 1 at the same rate (docs/benchmarks/local-cloud.md).
 */
export const DEFAULT_MAX_WORKERS_PER_FUNCTION = Math.max(2, availableParallelism());

/** Lambda's limit on the init phase (loading the handler), which does not count toward the function's timeout. */
const INIT_LIMIT_MS = 10_000;

/** Describes a function to the Lambda API (GetFunction / ListFunctions). */
export interface FunctionInfo {
  spec: FunctionSpec;
  /** Workers alive (warm or busy). */
  workers: number;
  busy: number;
  /** OS thread ids of its live workers (Linux), for per-function CPU accounting in the benchmarks. */
  osThreadIds: number[];
}

const workerScriptSource = join(__dirname, 'worker-main.ts');

/** The server's own `--cpu-prof*` / `--heap-prof*` flags, passed on to the workers (each writes its own profile). */
const PROFILING_FLAGS = process.execArgv.filter(
  (flag) => flag.startsWith('--cpu-prof') || flag.startsWith('--heap-prof'),
);

/** A worker whose init (loading the handler) failed or took too long: the invocation waiting for it fails so. */
class InitFailure extends Error {
  constructor(readonly payload: LambdaErrorPayload) {
    super(payload.errorMessage);
    this.name = 'InitFailure';
  }
}

/** How often idle workers are checked for reaping. */
const REAP_INTERVAL_MS = 30_000;

/**
 * The Lambda runtime: each function's handler runs in worker threads (own env, module cache and globals), one
 * request per worker at a time. A worker runs Lambda's init phase (loads the handler) when it starts, before it takes
 * a request; idle workers stay warm (and are reclaimed after a while without requests); a concurrent request takes a
 * free worker or waits for one while a new one starts, up to the per-function cap or the reserved concurrency,
 * beyond which synchronous invocations are throttled with `TooManyRequestsException`. A request's timeout clock
 * starts when a worker takes it, not while it waits.
 */
export class LambdaRuntime {
  private readonly specs = new Map<string, FunctionSpec>();
  private readonly pools = new Map<string, WorkerPool>();
  private readonly bundler: Bundler;
  private workerScript: Promise<Bundle> | undefined;
  private closed = false;
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly options: LambdaRuntimeOptions) {
    this.bundler = new Bundler(options.repoRoot, join(options.dataDir, 'bundles'));
    const idleMs = options.idleWorkerTimeoutMs ?? 5 * 60_000;
    this.reaper = setInterval(
      () => {
        for (const pool of this.pools.values()) pool.reap(Date.now() - idleMs, 1);
      },
      Math.min(REAP_INTERVAL_MS, idleMs),
    );
    this.reaper.unref();
  }

  /** Adds (or replaces) a function. */
  register(spec: FunctionSpec): void {
    this.specs.set(spec.functionName, spec);
    const old = this.pools.get(spec.functionName);
    this.pools.delete(spec.functionName);
    void old?.close();
  }

  /**
   * Starts bundling every registered function in the background, then pre-warms one worker per function (unless
   * {@link LambdaRuntimeOptions.prewarm} is false), so first invocations skip the build and the cold start.
   */
  prepare(): void {
    const bundles = [...this.specs.values()].map((spec) =>
      spec.entry === undefined ? undefined : this.bundler.bundle(spec.entry).catch(() => undefined),
    );
    const bootstrap = this.workerBootstrap().catch(() => undefined);
    if (this.options.prewarm === false) return;
    void Promise.all([...bundles, bootstrap])
      .then(() => this.prewarm())
      .catch(() => undefined);
  }

  /**
   * Starts one warm worker for each function that has none, one function after the other (so it does not compete
   * with itself for the CPU), as a background task: the first invocation of each then skips the cold start.
   * Functions whose bundle or init fails are skipped (their first invocation reports the error).
   */
  async prewarm(): Promise<void> {
    for (const spec of [...this.specs.values()]) {
      if (this.closed) return;
      if (spec.entry === undefined || this.specs.get(spec.functionName) !== spec) continue;
      await this.pool(spec).prewarm();
    }
  }

  /** Bundles every registered function now (awaits all). */
  async bundleAll(): Promise<void> {
    await Promise.all(
      [...this.specs.values()].flatMap((spec) =>
        spec.entry === undefined ? [] : [this.bundler.bundle(spec.entry)],
      ),
    );
    await this.workerBootstrap();
  }

  /** The registered functions. */
  list(): FunctionInfo[] {
    return [...this.specs.values()].map((spec) => this.info(spec));
  }

  /** A function by name, full ARN or partial ARN (with or without a `$LATEST` qualifier). */
  get(nameOrArn: string): FunctionInfo | undefined {
    const spec = this.specs.get(this.nameOf(nameOrArn));
    return spec === undefined ? undefined : this.info(spec);
  }

  /**
   * Invokes a function. Service problems (unknown function, throttling, payload too large) reject with a
   * {@link LambdaServiceError}; a function error resolves with `functionError: 'Unhandled'` and Lambda's error
   * payload, as the Invoke API answers it.
   */
  async invoke(nameOrArn: string, payload: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.closed) throw new LambdaServiceError('ServiceException', 'The Lambda runtime is closed', 500);
    const name = this.nameOf(nameOrArn);
    const spec = this.specs.get(name);
    if (spec === undefined) {
      const { region, accountId } = this.identity();
      throw new LambdaServiceError(
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:${region}:${accountId}:function:${name}`,
        404,
      );
    }
    const type = options.invocationType ?? 'RequestResponse';
    const size = Buffer.byteLength(payload);
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (size > limit) {
      throw new LambdaServiceError(
        'RequestTooLargeException',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        413,
      );
    }
    try {
      JSON.parse(payload === '' ? 'null' : payload);
    } catch {
      throw new LambdaServiceError(
        'InvalidRequestContentException',
        'Could not parse request body into json: Unexpected character',
        400,
      );
    }
    const requestId = randomUUID();
    if (type === 'DryRun') return { statusCode: 204, payload: '', executedVersion: '$LATEST', requestId };
    if (type === 'Event') {
      // Accepted is accepted: the caller giving up later does not cancel a queued asynchronous invocation.
      const { signal: _ignored, ...queued } = options;
      this.runAsync(spec, payload === '' ? 'null' : payload, requestId, queued, 0);
      return { statusCode: 202, payload: '', executedVersion: '$LATEST', requestId };
    }
    return this.run(spec, payload === '' ? 'null' : payload, requestId, options, false);
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private identity(): { region: string; accountId: string } {
    return {
      region: this.options.region ?? 'us-east-1',
      accountId: this.options.accountId ?? '000000000000',
    };
  }

  private nameOf(nameOrArn: string): string {
    const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::.*)?$/.exec(nameOrArn);
    if (arn?.[1] !== undefined) return arn[1];
    const partial = /^[0-9]{12}:function:([^:]+)/.exec(nameOrArn);
    if (partial?.[1] !== undefined) return partial[1];
    return nameOrArn.split(':')[0] ?? nameOrArn;
  }

  private info(spec: FunctionSpec): FunctionInfo {
    const pool = this.pools.get(spec.functionName);
    return {
      spec,
      workers: pool?.size() ?? 0,
      busy: pool?.busy ?? 0,
      osThreadIds: pool?.osThreadIds() ?? [],
    };
  }

  private workerBootstrap(): Promise<Bundle> {
    this.workerScript ??= existsSync(workerScriptSource)
      ? this.bundler.bundle(workerScriptSource)
      : Promise.reject(new Error(`Lambda worker bootstrap not found at ${workerScriptSource}`));
    return this.workerScript;
  }

  private pool(spec: FunctionSpec): WorkerPool {
    let pool = this.pools.get(spec.functionName);
    if (pool === undefined) {
      const fromEnv = Number(process.env['LOCAL_CLOUD_LAMBDA_MAX_WORKERS'] ?? '');
      const limit =
        spec.reservedConcurrency ??
        this.options.maxWorkersPerFunction ??
        (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_MAX_WORKERS_PER_FUNCTION);
      pool = new WorkerPool(
        limit,
        spec.reservedConcurrency !== undefined,
        () => this.startWorker(spec),
        (error) => {
          const message = error instanceof Error ? error.message : String(error);
          this.options.logs.append({
            time: Date.now(),
            functionName: spec.functionName,
            requestId: '',
            stream: 'platform',
            message: `INIT_REPORT Status: error ${message}`,
          });
        },
      );
      this.pools.set(spec.functionName, pool);
    }
    return pool;
  }

  private environment(spec: FunctionSpec): Record<string, string> {
    const { region } = this.identity();
    const logGroupName = `/aws/lambda/${spec.functionName}`;
    return {
      PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      // Lambda's nodejs22.x runtime has no reason for the SDK's "Node 20 support ends" notice; a local Node 20 does.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // There is no X-Ray here and the Powertools Tracer is off (below), but the Tracer still loads the X-Ray SDK, whose
      // automatic mode installs an async hook that tracks every promise (≈ 10% of an SDK-heavy handler's CPU, measured
      // with process-order). Manual mode skips it; a function can set it to '' to get automatic mode back.
      AWS_XRAY_MANUAL_MODE: 'true',
      ...this.options.baseEnvironment,
      ...spec.environment,
      // Lambda's reserved variables: the function cannot override them.
      AWS_ENDPOINT_URL: this.options.endpoint(),
      ...this.options.serviceEndpoints?.(),
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
      _HANDLER: spec.handler,
      // How Lambda started this environment (`provisioned-concurrency` and `snap-start` are the other values).
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      // Powertools Tracer would try to reach X-Ray: there is none locally.
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
  }

  /** A log stream per execution environment, named as Lambda names them (`2026/11/24/[$LATEST]<32 hex>`). */
  private logStreamName(): string {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    return `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`;
  }

  /** An asynchronous invocation: runs in the background and is retried on a function error, as Lambda does. */
  private runAsync(
    spec: FunctionSpec,
    payload: string,
    requestId: string,
    options: InvokeOptions,
    attempt: number,
  ): void {
    const delays = this.options.asyncRetryDelaysMs ?? [60_000, 120_000];
    this.run(spec, payload, requestId, options, true)
      .then((result) => {
        const delay = delays[attempt];
        if (result.functionError === undefined || delay === undefined || this.closed) return;
        this.options.logs.append({
          time: Date.now(),
          functionName: spec.functionName,
          requestId,
          stream: 'platform',
          message: `Asynchronous invocation failed; retry ${attempt + 1} of ${delays.length} in ${Math.round(delay / 1000)} s`,
        });
        setTimeout(() => {
          if (!this.closed) this.runAsync(spec, payload, requestId, options, attempt + 1);
        }, delay).unref();
      })
      .catch(() => undefined);
  }

  private async run(
    spec: FunctionSpec,
    payload: string,
    requestId: string,
    options: InvokeOptions,
    async: boolean,
  ): Promise<InvokeResult> {
    const pool = this.pool(spec);
    if (!async && pool.saturated()) {
      throw new LambdaServiceError(
        'TooManyRequestsException',
        'Rate Exceeded.',
        429,
        'ReservedFunctionConcurrentInvocationLimitExceeded',
      );
    }
    const platform = (message: string): void =>
      this.options.logs.append({
        time: Date.now(),
        functionName: spec.functionName,
        requestId,
        stream: 'platform',
        message,
        ...(options.executionArn === undefined ? {} : { executionArn: options.executionArn }),
      });
    let slot: Slot;
    try {
      slot = await pool.acquire(options.signal);
    } catch (error) {
      if (error instanceof LambdaServiceError) throw error;
      if (error instanceof SlotUnavailable) {
        throw new LambdaServiceError('ServiceException', error.message, 500);
      }
      // The handler's init failed (or took too long): the invocation fails as Lambda's init failure does.
      const failure =
        error instanceof InitFailure
          ? error.payload
          : {
              // The handler source does not build.
              errorType: 'Runtime.ImportModuleError',
              errorMessage: `Error: Cannot load ${spec.entry ?? spec.handler}: ${error instanceof Error ? error.message : String(error)}`,
              trace: [],
            };
      platform(`START RequestId: ${requestId} Version: $LATEST`);
      platform(`INIT_REPORT Status: error Error Type: ${failure.errorType}`);
      platform(`END RequestId: ${requestId}`);
      return {
        statusCode: 200,
        payload: JSON.stringify(failure),
        functionError: 'Unhandled',
        executedVersion: '$LATEST',
        requestId,
      };
    }
    // Cold: this invocation waited for the worker's init (a pre-warmed worker was idle first, so it is warm).
    const cold = slot.invocations === 0 && slot.idleSince === 0;
    const started = Date.now();
    const timeoutMs = spec.timeoutSeconds * 1000;
    const context: ContextFields = {
      awsRequestId: requestId,
      functionName: spec.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: spec.functionArn,
      memoryLimitInMB: String(spec.memorySize),
      logGroupName: `/aws/lambda/${spec.functionName}`,
      logStreamName: slot.logStreamName,
      deadlineMs: started + timeoutMs,
      ...(options.clientContext === undefined ? {} : { clientContext: options.clientContext }),
    };
    platform(`START RequestId: ${requestId} Version: $LATEST`);
    const outcome = await new Promise<
      { ok: true; payload: string | undefined } | { ok: false; error: LambdaErrorPayload }
    >((settle) => {
      const timer = setTimeout(() => {
        slot.current = undefined;
        slot.dead = true;
        void slot.worker.terminate();
        const seconds = spec.timeoutSeconds.toFixed(2);
        platform(`${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`);
        settle({
          ok: false,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
            trace: [],
          },
        });
      }, timeoutMs);
      slot.current = {
        requestId,
        ...(options.executionArn === undefined ? {} : { executionArn: options.executionArn }),
        settle: (result) => {
          clearTimeout(timer);
          slot.current = undefined;
          settle(result);
        },
      };
      const message: InvokeMessage = {
        type: 'invoke',
        payload,
        context,
        ...(options.traceHeader === undefined ? {} : { traceId: options.traceHeader }),
      };
      slot.worker.postMessage(message);
    });
    slot.invocations += 1;
    const duration = Date.now() - started;
    platform(`END RequestId: ${requestId}`);
    platform(
      `REPORT RequestId: ${requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(duration))} ms\tMemory Size: ${spec.memorySize} MB${cold ? `\tInit Duration: ${slot.initDurationMs.toFixed(2)} ms` : ''}`,
    );
    pool.release(slot);
    if (outcome.ok) {
      return { statusCode: 200, payload: outcome.payload ?? 'null', executedVersion: '$LATEST', requestId };
    }
    return {
      statusCode: 200,
      payload: JSON.stringify(outcome.error),
      functionError: 'Unhandled',
      executedVersion: '$LATEST',
      requestId,
    };
  }

  /**
   * Starts a worker and runs Lambda's init phase in it (loads the bundle, finds the handler). Resolves once the
   * handler is loaded; rejects with an {@link InitFailure} when init throws, the worker dies, or init exceeds Lambda's
   * init limit plus the function's timeout (Lambda retries a timed-out init within the first invocation).
   */
  private async startWorker(spec: FunctionSpec): Promise<Slot> {
    if (spec.entry === undefined) {
      throw new LambdaServiceError(
        'ResourceNotReadyException',
        `Function ${spec.functionName} has no local handler source (no flow:entry metadata)`,
        502,
      );
    }
    const [bundle, bootstrap] = await Promise.all([this.bundler.bundle(spec.entry), this.workerBootstrap()]);
    if (this.closed) throw new SlotUnavailable('closed');
    const boot: WorkerBoot = {
      bundleFile: bundle.file,
      handlerExport: spec.handlerExport,
      handler: spec.handler,
      compileCacheDir: join(this.options.dataDir, 'cache', 'node-compile'),
    };
    const logStreamName = this.logStreamName();
    const initStarted = Date.now();
    const worker = new Worker(bootstrap.file, {
      workerData: boot,
      env: { ...this.environment(spec), AWS_LAMBDA_LOG_STREAM_NAME: logStreamName },
      // Profiling flags of the server (`node --cpu-prof ... serve`) profile the functions too; nothing else leaks in.
      execArgv: PROFILING_FLAGS,
      argv: [],
      resourceLimits: { maxOldGenerationSizeMb: Math.max(spec.memorySize, 256) },
    });
    worker.unref();
    const slot: Slot = {
      worker,
      dead: false,
      invocations: 0,
      idleSince: 0,
      initDurationMs: 0,
      logStreamName,
    };
    const appendLines = (
      entries: { requestId: string; stream: 'stdout' | 'stderr'; text: string }[],
    ): void => {
      for (const entry of entries) {
        const key = `${entry.requestId}/${entry.stream}`;
        const text = (partial.get(key) ?? '') + entry.text;
        const parts = text.split('\n');
        const rest = parts.pop() ?? '';
        if (rest === '') partial.delete(key);
        else partial.set(key, rest);
        for (const line of parts) {
          this.options.logs.append({
            time: Date.now(),
            functionName: spec.functionName,
            requestId: entry.requestId,
            stream: entry.stream,
            message: line,
            ...(slot.current?.executionArn === undefined ? {} : { executionArn: slot.current.executionArn }),
          });
        }
      }
    };
    /** Unterminated output per `<request id>/<stream>`, completed by a later write or flushed with the result. */
    const partial = new Map<string, string>();
    let onReady: ((error?: LambdaErrorPayload) => void) | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') {
        appendLines(message.entries);
        return;
      }
      if (message.type === 'ready') {
        if (message.osThreadId !== undefined) slot.osThreadId = message.osThreadId;
        onReady?.(message.error);
        return;
      }
      for (const [key, rest] of partial) {
        if (key.startsWith(`${message.requestId}/`)) {
          this.options.logs.append({
            time: Date.now(),
            functionName: spec.functionName,
            requestId: message.requestId,
            stream: key.endsWith('stderr') ? 'stderr' : 'stdout',
            message: rest,
          });
          partial.delete(key);
        }
      }
      if (slot.current?.requestId === message.requestId) {
        slot.current.settle(
          message.ok ? { ok: true, payload: message.payload } : { ok: false, error: message.error },
        );
      }
    });
    worker.on('error', (error: Error) => {
      slot.dead = true;
      const failure = {
        errorType: error.name,
        errorMessage: error.message,
        trace: (error.stack ?? '').split('\n'),
      };
      onReady?.(failure);
      slot.current?.settle({ ok: false, error: failure });
    });
    worker.on('exit', (code) => {
      slot.dead = true;
      onReady?.({
        errorType: 'Runtime.ExitError',
        errorMessage: `Error: Runtime exited with error: exit status ${code} during init`,
        trace: [],
      });
      // A request still in flight when the worker went away (a crash, process.exit, or close()) fails as Lambda's
      // runtime exit does. (A timed-out request was settled before its worker was terminated.)
      const current = slot.current;
      if (current !== undefined) {
        current.settle({
          ok: false,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${current.requestId} Error: Runtime exited with error: exit status ${code}`,
            trace: [],
          },
        });
      }
    });
    const initLimitMs = INIT_LIMIT_MS + spec.timeoutSeconds * 1000;
    const initError = await new Promise<LambdaErrorPayload | undefined>((resolve) => {
      const timer = setTimeout(() => {
        resolve({
          errorType: 'Sandbox.Timedout',
          errorMessage: `Error: Init timed out after ${(initLimitMs / 1000).toFixed(2)} seconds`,
          trace: [],
        });
      }, initLimitMs);
      onReady = (error) => {
        clearTimeout(timer);
        onReady = undefined;
        resolve(error);
      };
    });
    slot.initDurationMs = Date.now() - initStarted;
    if (initError !== undefined) {
      slot.dead = true;
      void worker.terminate();
      throw new InitFailure(initError);
    }
    return slot;
  }
}
