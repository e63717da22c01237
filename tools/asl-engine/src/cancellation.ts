/**
 * The cancellation of a run, a branch, an iteration or a task: what an `AbortController` does for the engine, without
 * making one for every execution and branch (an `AbortController` with its `AbortSignal` EventTarget was a few
 * percent of the CPU of a small execution). The `AbortSignal` an integration sees is made only when it asks for one
 * ({@link Cancellation.signal}), and follows this cancellation from then on.
 */
export class Cancellation {
  private isAborted = false;
  private abortReason: unknown;
  private listeners: Array<() => void> | undefined;
  private controller: AbortController | undefined;

  /** True once {@link Cancellation.abort} was called. */
  get aborted(): boolean {
    return this.isAborted;
  }

  /** What {@link Cancellation.abort} was called with. */
  get reason(): unknown {
    return this.abortReason;
  }

  /** An `AbortSignal` aborted (with the same reason) when this is; made on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.isAborted) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Aborts once (later calls do nothing): listeners are called in the order they were added, then dropped. */
  abort(reason: unknown): void {
    if (this.isAborted) return;
    this.isAborted = true;
    this.abortReason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const l of listeners) l();
  }

  /** Calls `listener` once when this is aborted (not if it already was: check {@link Cancellation.aborted}). */
  onAbort(listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  /** Removes a listener added by {@link Cancellation.onAbort}. */
  offAbort(listener: () => void): void {
    const listeners = this.listeners;
    if (listeners === undefined) return;
    const i = listeners.lastIndexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  }
}
