import { performance } from 'node:perf_hooks';

/** The environment variable that turns the startup timing log on (as `serve --timing` does). */
export const TIMING_ENV = 'LOCAL_CLOUD_TIMING';

/**
 * A startup timing log: how long each phase took and when it ended, in ms since the process started (module
 * loading included), with the process's CPU time so far. Silent unless given a sink, so the start path can call it unconditionally.
 *
 * Sequential phases are {@link mark}ed when they end; phases that overlap others are wrapped in {@link time}.
 */
export class StartupTiming {
  private last = performance.now();

  constructor(private readonly sink?: (line: string) => void) {}

  /** A timing log to stderr when `enabled` or `LOCAL_CLOUD_TIMING` is set (not `0`), else a silent one. */
  static forProcess(enabled = false): StartupTiming {
    const env = process.env[TIMING_ENV];
    const on = enabled || (env !== undefined && env !== '' && env !== '0');
    return new StartupTiming(on ? (line) => process.stderr.write(`${line}\n`) : undefined);
  }

  /** True when lines are written somewhere. */
  get enabled(): boolean {
    return this.sink !== undefined;
  }

  /** The sequential phase `phase` ended now (it took the time since the previous mark). */
  mark(phase: string): void {
    if (this.sink === undefined) return;
    const now = performance.now();
    this.write(phase, now - this.last, now);
    this.last = now;
  }

  /** Runs `task` and logs its own duration when it settles (for phases that overlap others). */
  async time<T>(phase: string, task: () => Promise<T>): Promise<T> {
    if (this.sink === undefined) return task();
    const started = performance.now();
    try {
      return await task();
    } finally {
      const now = performance.now();
      this.write(`${phase} (parallel)`, now - started, now);
    }
  }

  private write(phase: string, durationMs: number, atMs: number): void {
    // CPU time of this process so far (user + system): unlike wall time, barely moved by other processes' load.
    const { user, system } = process.cpuUsage();
    this.sink?.(
      `timing: ${phase.padEnd(36)} ${durationMs.toFixed(0).padStart(6)} ms   (at ${atMs.toFixed(0)} ms, cpu ${((user + system) / 1000).toFixed(0)} ms)`,
    );
  }
}
