import { type ExecutionListItem, type HistoryEvent } from '@flow/asl-engine';

/** What the engine reports as it runs: a new history event, or an execution's new status. */
export type EngineChange =
  | { readonly kind: 'history'; readonly executionArn: string; readonly event: HistoryEvent }
  | { readonly kind: 'status'; readonly execution: ExecutionListItem };

/**
 * Fans the engine's single `onHistoryEvent` / `onExecutionStatusChange` hooks out to any number of listeners (the
 * console's SSE streams). A listener that throws is dropped, so one broken stream cannot stop the engine.
 */
export class EngineFeed {
  private readonly listeners = new Set<(change: EngineChange) => void>();

  /** The hooks to pass to the Engine's constructor. */
  readonly hooks = {
    onHistoryEvent: (executionArn: string, event: HistoryEvent): void =>
      this.emit({ kind: 'history', executionArn, event }),
    onExecutionStatusChange: (execution: ExecutionListItem): void => this.emit({ kind: 'status', execution }),
  };

  /** Registers a listener; returns its unsubscribe function. */
  subscribe(listener: (change: EngineChange) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(change: EngineChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }
}
