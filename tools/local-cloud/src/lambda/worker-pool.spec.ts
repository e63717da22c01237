import { type Worker } from 'node:worker_threads';
import { type Slot, SlotUnavailable, WorkerPool } from './worker-pool';

/** A slot whose worker is a stand-in (the pool only ever terminates it); `id` tells the slots apart. */
const fakeSlot = (id: number): Slot & { id: number } => ({
  id,
  worker: { terminate: () => Promise.resolve(0) } as unknown as Worker,
  dead: false,
  invocations: 0,
  idleSince: 0,
  initDurationMs: 0,
  logStreamName: `stream-${id}`,
});

/** A start function whose inits finish when the test says so. */
const controlledStarts = () => {
  const pending: ((slot: Slot) => void)[] = [];
  let next = 0;
  return {
    start: (): Promise<Slot> => new Promise<Slot>((resolve) => pending.push(resolve)),
    /** Finishes the oldest pending init. */
    finish: (): void => {
      next += 1;
      pending.shift()?.(fakeSlot(next));
    },
    get started(): number {
      return next + pending.length;
    },
  };
};

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WorkerPool', () => {
  it('serves waiting invocations in order with whichever worker frees up first', async () => {
    // Arrange
    const starts = controlledStarts();
    const pool = new WorkerPool(2, false, starts.start);
    const first = pool.acquire();
    starts.finish();
    const warm = await first;
    const second = pool.acquire();
    const third = pool.acquire();

    // Act: the warm worker is released before the second one finishes its init.
    pool.release(warm);
    const servedSecond = await second;
    starts.finish();
    const servedThird = await third;

    // Assert
    expect([servedSecond, servedThird]).toStrictEqual([warm, expect.objectContaining({ id: 2 })]);
    expect(starts.started).toBe(2);
  });

  it('queues invocations beyond the limit instead of starting more workers', async () => {
    // Arrange
    const starts = controlledStarts();
    const pool = new WorkerPool(1, false, starts.start);

    // Act
    const waiting = [pool.acquire(), pool.acquire(), pool.acquire()];
    await tick();

    // Assert
    expect([starts.started, pool.waiting]).toStrictEqual([1, 3]);
    starts.finish();
    const slot = await waiting[0];
    if (slot === undefined) throw new Error('no slot');
    pool.release(slot);
    pool.release(await (waiting[1] ?? Promise.reject(new Error('no waiter'))));
    expect(await waiting[2]).toBe(slot);
  });

  it('fails when the caller gives up while waiting, and leaves the queue', async () => {
    // Arrange
    const starts = controlledStarts();
    const pool = new WorkerPool(1, false, starts.start);
    const caller = new AbortController();
    const abandoned = pool.acquire(caller.signal);

    // Act
    caller.abort();

    // Assert
    await expect(abandoned).rejects.toStrictEqual(new SlotUnavailable('aborted'));
    expect(pool.waiting).toBe(0);
  });

  it('throttles at the reserved concurrency and never warms a function reserved at 0', async () => {
    // Arrange
    const starts = controlledStarts();
    const reservedOne = new WorkerPool(1, true, starts.start);
    const switchedOff = new WorkerPool(0, true, starts.start);
    const running = reservedOne.acquire();
    starts.finish();
    await running;

    // Act
    await switchedOff.prewarm();

    // Assert
    expect([reservedOne.saturated(), switchedOff.saturated(), switchedOff.size()]).toStrictEqual([
      true,
      true,
      0,
    ]);
  });
});
