import { type Worker } from 'node:worker_threads';
import { type LambdaErrorPayload } from './protocol';

/** One execution environment of a function: a worker thread whose handler is loaded (init done). */
export interface Slot {
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
  /** When the slot last became idle (epoch ms); 0 while it never was (its first request waited for its init). */
  idleSince: number;
  /** How long its init phase took (reported on its first invocation's REPORT line). */
  initDurationMs: number;
  /** Its log stream (one per execution environment, as in Lambda). */
  logStreamName: string;
  /** The worker's OS thread id, once it reported it (Linux only). */
  osThreadId?: number;
}

/** Why an invocation waiting for an execution environment did not get one. */
export class SlotUnavailable extends Error {
  constructor(
    /** `aborted`: the caller gave up (e.g. its Task timed out); `closed`: the runtime shut down. */
    readonly reason: 'aborted' | 'closed',
  ) {
    super(reason === 'aborted' ? 'The invocation was abandoned by its caller' : 'The Lambda runtime closed');
    this.name = 'SlotUnavailable';
  }
}

interface Waiter {
  resolve: (slot: Slot) => void;
  reject: (error: unknown) => void;
  /** Detaches the abort listener. */
  cleanup: () => void;
}

/**
 * The execution environments (workers) of one function, as Lambda scales them: an invocation takes an idle warm
 * worker; otherwise it waits in a FIFO queue while a new worker starts (up to `limit` workers), and it is served by
 * whichever worker becomes free first (a warm one finishing its request, or the new one once its init is done).
 * Invocations beyond the limit wait; they never fail for it (a reserved-concurrency limit throttles synchronous
 * invocations instead, as Lambda does). A waiting invocation whose caller aborts leaves the queue without running.
 */
export class WorkerPool {
  private readonly idle: Slot[] = [];
  private readonly all = new Set<Slot>();
  private readonly queue: Waiter[] = [];
  /** OS thread ids of the workers alive that reported one. */
  osThreadIds(): number[] {
    const ids: number[] = [];
    for (const slot of this.all) if (!slot.dead && slot.osThreadId !== undefined) ids.push(slot.osThreadId);
    return ids;
  }

  /** Workers serving a request. */
  private busyCount = 0;
  /** Workers being started (init not finished). */
  private starting = 0;
  private closed = false;

  constructor(
    /** The most workers at once (reserved concurrency, or the local per-function cap). */
    readonly limit: number,
    /** True when `limit` is the function's reserved concurrency (synchronous invocations beyond it throttle). */
    readonly reserved: boolean,
    /** Starts a worker and resolves once its init (handler loaded) is done. */
    private readonly start: () => Promise<Slot>,
    /** Told about a worker that failed to start while nobody waited for it (e.g. a pre-warm). */
    private readonly onUnclaimedStartFailure: (error: unknown) => void = () => undefined,
  ) {}

  /** Workers alive (idle or busy). */
  size(): number {
    let alive = 0;
    for (const slot of this.all) if (!slot.dead) alive += 1;
    return alive;
  }

  /** Workers serving a request. */
  get busy(): number {
    return this.busyCount;
  }

  /** Invocations waiting for a worker. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * True when a synchronous invocation must be throttled: the function has reserved concurrency and that many
   * invocations are already running or about to run.
   */
  saturated(): boolean {
    return this.reserved && this.idleAlive() === 0 && this.busyCount + this.queue.length >= this.limit;
  }

  /** A worker for one invocation: an idle warm one at once, else the first that frees up or finishes starting. */
  acquire(signal?: AbortSignal): Promise<Slot> {
    if (this.closed) return Promise.reject(new SlotUnavailable('closed'));
    const warm = this.takeIdle();
    if (warm !== undefined) {
      this.busyCount += 1;
      return Promise.resolve(warm);
    }
    if (signal?.aborted === true) return Promise.reject(new SlotUnavailable('aborted'));
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(new SlotUnavailable('aborted'));
      };
      const waiter: Waiter = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.grow();
    });
  }

  /** Gives a worker back after its request (a dead one is dropped and, if invocations wait, replaced). */
  release(slot: Slot): void {
    this.busyCount -= 1;
    this.offer(slot);
  }

  /** Starts one worker ahead of demand if the function has none (a pre-warmed environment). */
  prewarm(): Promise<void> {
    // A function with reserved concurrency 0 is switched off: it gets no worker at all.
    if (this.closed || this.limit === 0 || this.size() > 0 || this.starting > 0) return Promise.resolve();
    return this.spawn();
  }

  /** Terminates idle workers idle since before `before` (epoch ms), keeping the `keep` most recently used. */
  reap(before: number, keep: number): number {
    // `idle` is a stack: the most recently used are at the end.
    const alive = this.idle.filter((slot) => !slot.dead);
    const candidates = alive.slice(0, Math.max(0, alive.length - keep)).filter((s) => s.idleSince < before);
    for (const slot of candidates) {
      this.idle.splice(this.idle.indexOf(slot), 1);
      this.all.delete(slot);
      slot.dead = true;
      void slot.worker.terminate();
    }
    return candidates.length;
  }

  /** Terminates every worker; waiting invocations fail with {@link SlotUnavailable}. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) {
      waiter.cleanup();
      waiter.reject(new SlotUnavailable('closed'));
    }
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

  // ---------------------------------------------------------------------------------------------------------------

  private idleAlive(): number {
    let count = 0;
    for (const slot of this.idle) if (!slot.dead) count += 1;
    return count;
  }

  private takeIdle(): Slot | undefined {
    while (this.idle.length > 0) {
      const slot = this.idle.pop();
      if (slot === undefined) break;
      if (!slot.dead) return slot;
      this.all.delete(slot);
    }
    return undefined;
  }

  /** Starts workers while invocations wait for more than are starting, within the limit. */
  private grow(): void {
    while (
      !this.closed &&
      this.starting < this.queue.length &&
      this.busyCount + this.starting + this.idleAlive() < this.limit
    ) {
      void this.spawn();
    }
  }

  private spawn(): Promise<void> {
    this.starting += 1;
    return this.start().then(
      (slot) => {
        this.starting -= 1;
        if (this.closed) {
          slot.dead = true;
          void slot.worker.terminate();
          return;
        }
        this.all.add(slot);
        this.offer(slot);
      },
      (error: unknown) => {
        this.starting -= 1;
        // The invocation that has waited longest gets the init failure (as the one whose cold start failed).
        const waiter = this.queue.shift();
        if (waiter === undefined) this.onUnclaimedStartFailure(error);
        else {
          waiter.cleanup();
          waiter.reject(error);
        }
        this.grow();
      },
    );
  }

  /** Hands a free worker to the longest-waiting invocation, or parks it idle. */
  private offer(slot: Slot): void {
    if (slot.dead) {
      this.all.delete(slot);
      this.grow();
      return;
    }
    const waiter = this.queue.shift();
    if (waiter !== undefined) {
      waiter.cleanup();
      this.busyCount += 1;
      waiter.resolve(slot);
      return;
    }
    slot.idleSince = Date.now();
    this.idle.push(slot);
  }
}
