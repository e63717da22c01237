import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
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
  /** Workers per function without reserved concurrency (requests beyond queue). Default 8. */
  maxWorkersPerFunction?: number;
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

interface Slot {
  worker: Worker;
  /** The request being served, if any. */
  current?:
    | {
        requestId: string;
        executionArn?: string;
        settle: (
          outcome: { ok: true; payload: string | undefined } | { ok: false; error: LambdaErrorPayload },
        ) => void;
      }
    | undefined;
  /** Set when the worker was terminated or died: never reuse it. */
  dead: boolean;
  invocations: number;
}

/** Describes a function to the Lambda API (GetFunction / ListFunctions). */
export interface FunctionInfo {
  spec: FunctionSpec;
  /** Workers alive (warm or busy). */
  workers: number;
  busy: number;
}

const workerScriptSource = join(__dirname, 'worker-main.ts');

/**
 * The Lambda runtime: each function's handler runs in worker threads (own env, module cache and globals), one
 * request per worker at a time; idle workers stay warm; a new worker (cold start) serves a concurrent request up
 * to the reserved concurrency, beyond which invocations are throttled with `TooManyRequestsException`.
 */
export class LambdaRuntime {
  private readonly specs = new Map<string, FunctionSpec>();
  private readonly pools = new Map<string, Pool>();
  private readonly bundler: Bundler;
  private workerScript: Promise<Bundle> | undefined;
  private closed = false;

  constructor(private readonly options: LambdaRuntimeOptions) {
    this.bundler = new Bundler(options.repoRoot, join(options.dataDir, 'bundles'));
  }

  /** Adds (or replaces) a function. */
  register(spec: FunctionSpec): void {
    this.specs.set(spec.functionName, spec);
    const old = this.pools.get(spec.functionName);
    this.pools.delete(spec.functionName);
    void old?.close();
  }

  /** Starts bundling every registered function in the background (first invocations then start sooner). */
  prepare(): void {
    for (const spec of this.specs.values()) {
      if (spec.entry !== undefined) void this.bundler.bundle(spec.entry).catch(() => undefined);
    }
    void this.workerBootstrap().catch(() => undefined);
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
      this.runAsync(spec, payload === '' ? 'null' : payload, requestId, options, 0);
      return { statusCode: 202, payload: '', executedVersion: '$LATEST', requestId };
    }
    return this.run(spec, payload === '' ? 'null' : payload, requestId, options, false);
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
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
    return { spec, workers: pool?.size() ?? 0, busy: pool?.busy ?? 0 };
  }

  private workerBootstrap(): Promise<Bundle> {
    this.workerScript ??= existsSync(workerScriptSource)
      ? this.bundler.bundle(workerScriptSource)
      : Promise.reject(new Error(`Lambda worker bootstrap not found at ${workerScriptSource}`));
    return this.workerScript;
  }

  private pool(spec: FunctionSpec): Pool {
    let pool = this.pools.get(spec.functionName);
    if (pool === undefined) {
      const limit = spec.reservedConcurrency ?? this.options.maxWorkersPerFunction ?? 8;
      pool = new Pool(limit, spec.reservedConcurrency !== undefined);
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
      AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName(),
      _HANDLER: spec.handler,
      // Powertools Tracer would try to reach X-Ray: there is none locally.
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
  }

  private logStreamName(): string {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    return `${day}/[$LATEST]local`;
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
    let slot: Slot;
    const acquired = pool.tryAcquire();
    if (acquired === 'throttled' && !async) {
      throw new LambdaServiceError(
        'TooManyRequestsException',
        'Rate Exceeded.',
        429,
        'ReservedFunctionConcurrentInvocationLimitExceeded',
      );
    }
    try {
      slot =
        acquired === 'spawn'
          ? await pool.spawn(() => this.startWorker(spec))
          : acquired === 'wait' || acquired === 'throttled'
            ? await pool.waitForSlot(() => this.startWorker(spec))
            : acquired;
    } catch (error) {
      if (error instanceof LambdaServiceError) throw error;
      // The handler source does not build or load: the function fails as Lambda's init would.
      const message = error instanceof Error ? error.message : String(error);
      return {
        statusCode: 200,
        payload: JSON.stringify({
          errorType: 'Runtime.ImportModuleError',
          errorMessage: `Error: Cannot load ${spec.entry ?? spec.handler}: ${message}`,
          trace: [],
        }),
        functionError: 'Unhandled',
        executedVersion: '$LATEST',
        requestId,
      };
    }
    const cold = slot.invocations === 0;
    const started = Date.now();
    const timeoutMs = spec.timeoutSeconds * 1000;
    const context: ContextFields = {
      awsRequestId: requestId,
      functionName: spec.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: spec.functionArn,
      memoryLimitInMB: String(spec.memorySize),
      logGroupName: `/aws/lambda/${spec.functionName}`,
      logStreamName: this.logStreamName(),
      deadlineMs: started + timeoutMs,
      ...(options.clientContext === undefined ? {} : { clientContext: options.clientContext }),
    };
    const platform = (message: string): void =>
      this.options.logs.append({
        time: Date.now(),
        functionName: spec.functionName,
        requestId,
        stream: 'platform',
        message,
        ...(options.executionArn === undefined ? {} : { executionArn: options.executionArn }),
      });
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
      `REPORT RequestId: ${requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(duration))} ms\tMemory Size: ${spec.memorySize} MB${cold ? '\t(cold start)' : ''}`,
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

  private async startWorker(spec: FunctionSpec): Promise<Slot> {
    if (spec.entry === undefined) {
      throw new LambdaServiceError(
        'ResourceNotReadyException',
        `Function ${spec.functionName} has no local handler source (no flow:entry metadata)`,
        502,
      );
    }
    const [bundle, bootstrap] = await Promise.all([this.bundler.bundle(spec.entry), this.workerBootstrap()]);
    const boot: WorkerBoot = {
      bundleFile: bundle.file,
      handlerExport: spec.handlerExport,
      handler: spec.handler,
    };
    const worker = new Worker(bootstrap.file, {
      workerData: boot,
      env: this.environment(spec),
      execArgv: [],
      argv: [],
      resourceLimits: { maxOldGenerationSizeMb: Math.max(spec.memorySize, 256) },
    });
    worker.unref();
    const slot: Slot = { worker, dead: false, invocations: 0 };
    const lines = new Map<string, string>();
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') {
        const key = `${message.requestId}/${message.stream}`;
        const text = (lines.get(key) ?? '') + message.text;
        const parts = text.split('\n');
        lines.set(key, parts.pop() ?? '');
        for (const line of parts) {
          this.options.logs.append({
            time: Date.now(),
            functionName: spec.functionName,
            requestId: message.requestId,
            stream: message.stream,
            message: line,
            ...(slot.current?.executionArn === undefined ? {} : { executionArn: slot.current.executionArn }),
          });
        }
        return;
      }
      for (const [key, rest] of lines) {
        if (key.startsWith(`${message.requestId}/`) && rest !== '') {
          this.options.logs.append({
            time: Date.now(),
            functionName: spec.functionName,
            requestId: message.requestId,
            stream: key.endsWith('stderr') ? 'stderr' : 'stdout',
            message: rest,
          });
        }
        lines.delete(key);
      }
      if (slot.current?.requestId === message.requestId) {
        slot.current.settle(
          message.ok ? { ok: true, payload: message.payload } : { ok: false, error: message.error },
        );
      }
    });
    worker.on('error', (error: Error) => {
      slot.dead = true;
      slot.current?.settle({
        ok: false,
        error: { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') },
      });
    });
    worker.on('exit', (code) => {
      slot.dead = true;
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
    return slot;
  }
}

/** The workers of one function. */
class Pool {
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private readonly waiters: ((slot: Slot | undefined) => void)[] = [];
  busy = 0;
  private pendingSpawns = 0;

  constructor(
    private readonly limit: number,
    private readonly reserved: boolean,
  ) {}

  size(): number {
    return [...this.all].filter((slot) => !slot.dead).length;
  }

  /** A warm idle worker, or what to do: spawn a new one, wait (unreserved), or throttle (reserved). */
  tryAcquire(): Slot | 'spawn' | 'wait' | 'throttled' {
    while (this.idle.length > 0) {
      const slot = this.idle.pop();
      if (slot !== undefined && !slot.dead) {
        this.busy += 1;
        return slot;
      }
    }
    if (this.busy + this.pendingSpawns < this.limit) {
      this.pendingSpawns += 1;
      return 'spawn';
    }
    return this.reserved ? 'throttled' : 'wait';
  }

  async spawn(start: () => Promise<Slot>): Promise<Slot> {
    try {
      const slot = await start();
      this.all.add(slot);
      this.busy += 1;
      return slot;
    } finally {
      this.pendingSpawns -= 1;
    }
  }

  /** Waits until a worker is released (or can be spawned). */
  async waitForSlot(start: () => Promise<Slot>): Promise<Slot> {
    const released = await new Promise<Slot | undefined>((resolve) => this.waiters.push(resolve));
    if (released !== undefined) return released;
    this.pendingSpawns += 1;
    return this.spawn(start);
  }

  release(slot: Slot): void {
    this.busy -= 1;
    const waiter = this.waiters.shift();
    if (slot.dead) {
      this.all.delete(slot);
      waiter?.(undefined);
      return;
    }
    if (waiter !== undefined) {
      this.busy += 1;
      waiter(slot);
      return;
    }
    this.idle.push(slot);
  }

  async close(): Promise<void> {
    const slots = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(
      slots.map(async (slot) => {
        slot.dead = true;
        await slot.worker.terminate();
      }),
    );
  }
}
