import { RealClock, VirtualClock } from './clock';

describe('VirtualClock', () => {
  it('fires timers in time order while advancing, and only those that fall due', async () => {
    // Arrange
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.setTimer(5_000, () => fired.push('b'));
    clock.setTimer(2_000, () => fired.push('a'));
    clock.setTimer(9_000, () => fired.push('c'));
    // Act
    await clock.advance(5_000);
    // Assert
    expect(fired).toStrictEqual(['a', 'b']);
    expect(clock.now()).toBe(6_000);
    expect(clock.pendingTimers).toBe(1);
  });

  it('runs until idle, including timers set by timers', async () => {
    // Arrange
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => {
      fired.push(clock.now());
      clock.setTimer(clock.now() + 7 * 24 * 3600 * 1000, () => fired.push(clock.now()));
    });
    // Act
    await clock.runUntilIdle();
    // Assert
    expect(fired).toStrictEqual([10, 10 + 7 * 24 * 3600 * 1000]);
  });

  it('does not fire a cleared timer', async () => {
    // Arrange
    const clock = new VirtualClock(0);
    let fired = false;
    const handle = clock.setTimer(100, () => (fired = true));
    // Act
    clock.clearTimer(handle);
    await clock.advance(1_000);
    // Assert
    expect(fired).toBe(false);
  });
});

describe('RealClock', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('chunks delays longer than setTimeout allows (2^31-1 ms) and fires at the right time', () => {
    // Arrange
    jest.useFakeTimers({ now: 0 });
    const clock = new RealClock();
    const thirtyDays = 30 * 24 * 3600 * 1000;
    let firedAt: number | undefined;
    clock.setTimer(thirtyDays, () => (firedAt = Date.now()));
    // Act
    jest.advanceTimersByTime(thirtyDays - 1);
    const early = firedAt;
    jest.advanceTimersByTime(1);
    // Assert
    expect(early).toBeUndefined();
    expect(firedAt).toBe(thirtyDays);
  });
});
