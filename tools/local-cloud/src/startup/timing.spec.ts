import { StartupTiming, TIMING_ENV } from './timing';

const LINE = /^timing: (.+?) +(\d+) ms {3}\(at (\d+) ms, cpu (\d+) ms\)$/;

describe('StartupTiming', () => {
  const saved = process.env[TIMING_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[TIMING_ENV];
    else process.env[TIMING_ENV] = saved;
  });

  it('logs each sequential phase and each parallel task with its duration, time and CPU time', async () => {
    // Arrange
    const lines: string[] = [];
    const timing = new StartupTiming((line) => lines.push(line));

    // Act
    timing.mark('first');
    const value = await timing.time(
      'task',
      () => new Promise<number>((resolve) => setTimeout(() => resolve(7), 20)),
    );
    timing.mark('second');

    // Assert
    expect(value).toBe(7);
    expect(lines.map((line) => LINE.exec(line)?.[1])).toStrictEqual(['first', 'task (parallel)', 'second']);
    expect(Number(LINE.exec(lines[1] ?? '')?.[2])).toBeGreaterThanOrEqual(15);
  });

  it('is silent without a sink, and still returns what a timed task returns', async () => {
    // Arrange
    delete process.env[TIMING_ENV];
    const timing = StartupTiming.forProcess(false);

    // Act
    const value = await timing.time('task', () => Promise.resolve('done'));

    // Assert
    expect(timing.enabled).toBe(false);
    expect(value).toBe('done');
  });

  it('turns on from the environment variable, and not for 0', () => {
    // Act
    process.env[TIMING_ENV] = '1';
    const on = StartupTiming.forProcess(false).enabled;
    process.env[TIMING_ENV] = '0';
    const off = StartupTiming.forProcess(false).enabled;

    // Assert
    expect([on, off, StartupTiming.forProcess(true).enabled]).toStrictEqual([true, false, true]);
  });

  it('fails the timed phase when its task fails (the error is not swallowed)', async () => {
    // Arrange
    const lines: string[] = [];
    const timing = new StartupTiming((line) => lines.push(line));

    // Act
    const failing = timing.time('broken', () => Promise.reject(new Error('no dynalite')));

    // Assert
    await expect(failing).rejects.toThrow('no dynalite');
    expect(lines).toHaveLength(1);
  });
});
