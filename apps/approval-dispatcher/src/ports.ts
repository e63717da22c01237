import type { ApprovalRecord, ApprovalRequestedDetail, AuditEntry } from '@flow/contracts';

/** Where the dispatcher records approval requests. */
export interface ApprovalRequestStore {
  /** Stores the task token of an approval in its own item (never returned by any API). Idempotent. */
  saveTaskToken(approvalId: string, taskToken: string): Promise<void>;
  /**
   * Creates the approval unless one with that id exists (a conditional put).
   * @returns `true` if this call created it, `false` if it already existed.
   */
  createApproval(approval: ApprovalRecord): Promise<boolean>;
  /** Whether `ApprovalRequested` was already published for this approval. */
  wasRequestPublished(approvalId: string): Promise<boolean>;
  markRequestPublished(approvalId: string): Promise<void>;
  /** Writes the `requested` audit entry; idempotent (same key for the same approval). */
  auditRequested(entry: AuditEntry): Promise<void>;
}

/** Where the dispatcher announces approval requests (the orders bus). */
export interface ApprovalEventPublisher {
  publishApprovalRequested(detail: ApprovalRequestedDetail): Promise<void>;
}
