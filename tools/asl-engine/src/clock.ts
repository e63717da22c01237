/** Opaque handle of a timer set on a {@link Clock}. */
export interface TimerHandle {
  readonly id: number;
}

/** Time source of the engine: injected so that tests can run days of waiting in milliseconds. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` once the clock reaches `atEpochMs` (at once, asynchronously, if it already has). */
  setTimer(atEpochMs: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** setTimeout accepts at most 2^31-1 ms; longer delays are chained in chunks. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Wall-clock time: `Date.now` and `setTimeout` (delays over ~24.8 days are chunked). */
export class RealClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimer(atEpochMs: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const arm = (): void => {
      const delay = atEpochMs - Date.now();
      if (delay > MAX_TIMEOUT_MS) {
        this.timers.set(id, setTimeout(arm, MAX_TIMEOUT_MS));
        return;
      }
      this.timers.set(
        id,
        setTimeout(
          () => {
            this.timers.delete(id);
            fn();
          },
          Math.max(0, delay),
        ),
      );
    };
    arm();
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(handle.id);
  }
}

interface VirtualTimer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Lets pending promise reactions (the engine's reaction to a timer) run before the next timer fires. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when told to. Timers fire in time order; between two timers the engine's reactions are
 * awaited, so a test of a 7-day timeout is deterministic and takes milliseconds.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: VirtualTimer[] = [];

  constructor(startEpochMs: number = Date.UTC(2026, 0, 1)) {
    this.current = startEpochMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(atEpochMs: number, fn: () => void): TimerHandle {
    const timer: VirtualTimer = { id: this.nextId++, at: Math.max(atEpochMs, this.current), fn };
    this.timers.push(timer);
    if (timer.at <= this.current) {
      // Due now: fire asynchronously like a zero-delay timeout.
      setImmediate(() => this.fireDue());
    }
    return { id: timer.id };
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  /** Moves the clock to `epochMs`, firing every timer that falls due on the way, in order. */
  async advanceTo(epochMs: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.at > epochMs) break;
      this.current = Math.max(this.current, next.at);
      this.fire(next);
      await settle();
    }
    this.current = Math.max(this.current, epochMs);
    await settle();
  }

  /** Fires the next timer, again and again, until none is left (or `maxTimers` have fired). */
  async runUntilIdle(opts: { maxTimers?: number } = {}): Promise<void> {
    const max = opts.maxTimers ?? 100_000;
    await settle();
    for (let fired = 0; fired < max; fired++) {
      const next = this.earliest();
      if (next === undefined) break;
      this.current = Math.max(this.current, next.at);
      this.fire(next);
      await settle();
    }
  }

  private earliest(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers)
      if (best === undefined || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    return best;
  }

  private fire(timer: VirtualTimer): void {
    this.timers = this.timers.filter((t) => t.id !== timer.id);
    timer.fn();
  }

  private fireDue(): void {
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.at > this.current) return;
      this.fire(next);
    }
  }
}
