/** Opaque handle of a timer set on a {@link Clock}. */
export interface TimerHandle {
  readonly id: number;
}

/**
 * Time source of the SQS and EventBridge services (the same shape as the engine's Clock, so one clock can drive the
 * whole local cloud): epoch milliseconds plus timers at absolute times.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once the clock reaches `atEpochMs` (asynchronously at once if it already has). */
  setTimer(atEpochMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

const MAX_TIMEOUT_MS = 2_147_483_647;

/** Wall-clock time (`Date.now` + `setTimeout`); timers do not keep the process alive. */
export class SystemClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimer(atEpochMs: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const arm = (): void => {
      const delay = atEpochMs - Date.now();
      const timeout =
        delay > MAX_TIMEOUT_MS
          ? setTimeout(arm, MAX_TIMEOUT_MS)
          : setTimeout(
              () => {
                this.timers.delete(id);
                fn();
              },
              Math.max(0, delay),
            );
      timeout.unref();
      this.timers.set(id, timeout);
    };
    arm();
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const timeout = this.timers.get(handle.id);
    if (timeout !== undefined) clearTimeout(timeout);
    this.timers.delete(handle.id);
  }
}

interface ManualTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** A clock that moves only when told to (for deterministic tests): timers fire in time order. */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  constructor(startEpochMs: number = Date.UTC(2026, 0, 1)) {
    this.current = startEpochMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(atEpochMs: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, at: Math.max(atEpochMs, this.current), fn };
    this.timers.push(timer);
    if (timer.at <= this.current) setImmediate(() => this.fireDue());
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle.id);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves forward by `ms`, firing due timers in order and letting promise reactions run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.timers.reduce<ManualTimer | undefined>(
        (a, b) => (a === undefined || b.at < a.at ? b : a),
        undefined,
      );
      if (next === undefined || next.at > target) break;
      this.current = Math.max(this.current, next.at);
      this.timers = this.timers.filter((timer) => timer !== next);
      next.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }

  private fireDue(): void {
    const due = this.timers.filter((timer) => timer.at <= this.current).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((timer) => timer.at > this.current);
    for (const timer of due) timer.fn();
  }
}
