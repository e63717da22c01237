import type { ApprovalRecord, ApprovalStatus, AuditEntry, RecordedDecision } from '@flow/contracts';

/** One page of approvals. */
export interface ApprovalPage {
  items: ApprovalRecord[];
  /** Opaque cursor of the next page; absent on the last page. */
  nextCursor?: string;
}

/** An event the service refused to act on, kept for inspection (secrets already removed). */
export interface RejectedEventRecord {
  eventId: string;
  source: string;
  detailType: string;
  receivedAt: string;
  /** Why it was not acted upon, e.g. `untrusted source` or `invalid detail: decision`. */
  reason: string;
  /** The whole event as received, with secret-looking fields replaced by `[REDACTED]`. */
  event: unknown;
}

/** Thrown by {@link ApprovalStore.listByStatus} for a cursor it did not issue. */
export class InvalidCursorError extends Error {
  constructor(message = 'cursor is not a cursor this API issued') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/**
 * Persistence port of the approvals API. Every state change is a conditional write, so concurrent callers
 * cannot both move an approval out of the state they saw. The task token is only reachable through
 * {@link ApprovalStore.getTaskToken}: no other method returns it.
 */
export interface ApprovalStore {
  get(approvalId: string): Promise<ApprovalRecord | undefined>;
  listByStatus(status: ApprovalStatus, options: { limit: number; cursor?: string }): Promise<ApprovalPage>;
  /**
   * Moves a `pending` approval to `approved`/`rejected` with the decision, atomically.
   * @returns the updated approval, or `undefined` when it was not pending any more (someone else won).
   */
  recordDecision(approvalId: string, decision: RecordedDecision): Promise<ApprovalRecord | undefined>;
  /** Undoes {@link recordDecision} (only if that exact decision is still recorded): back to `pending`. */
  revertDecision(approvalId: string, decision: RecordedDecision): Promise<void>;
  /**
   * Moves the approval from `expectedStatus` to `expired`.
   * @returns the updated approval, or `undefined` when its status was not `expectedStatus`.
   */
  markExpired(
    approvalId: string,
    expectedStatus: ApprovalStatus,
    expiredAt: string,
  ): Promise<ApprovalRecord | undefined>;
  /** Records the time of the last heartbeat of a `pending` approval; `undefined` when it is not pending. */
  recordHeartbeat(approvalId: string, at: string): Promise<ApprovalRecord | undefined>;
  /** The secret task token of the approval, if one was stored. */
  getTaskToken(approvalId: string): Promise<string | undefined>;
  appendAudit(entry: AuditEntry): Promise<void>;
  auditOfApproval(approvalId: string): Promise<AuditEntry[]>;
  auditOfOrder(orderId: string): Promise<AuditEntry[]>;
  keepRejectedEvent(record: RejectedEventRecord): Promise<void>;
  listRejectedEvents(limit: number): Promise<RejectedEventRecord[]>;
}
