import {
  type ApprovalRecord,
  type ApprovalStatus,
  ApprovalStatusValues,
  type AuditEntry,
  type RecordedDecision,
} from '@flow/contracts';
import type { ApprovalPage, ApprovalStore, RejectedEventRecord } from '../store/approval-store';

/**
 * An {@link ApprovalStore} in memory for unit tests of the decision logic. Each method checks its condition and
 * writes in one synchronous step, so concurrent callers see the same all-or-nothing behaviour as DynamoDB's
 * conditional writes.
 */
export class InMemoryApprovalStore implements ApprovalStore {
  readonly approvals = new Map<string, ApprovalRecord>();
  readonly tokens = new Map<string, string>();
  readonly audit: AuditEntry[] = [];
  readonly rejectedEvents: RejectedEventRecord[] = [];

  /** Seeds a pending approval and its token. */
  add(approval: ApprovalRecord, taskToken: string): void {
    this.approvals.set(approval.approvalId, structuredClone(approval));
    this.tokens.set(approval.approvalId, taskToken);
  }

  async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    const approval = this.approvals.get(approvalId);
    return approval === undefined ? undefined : structuredClone(approval);
  }

  async listByStatus(
    status: ApprovalStatus,
    options: { limit: number; cursor?: string },
  ): Promise<ApprovalPage> {
    const all = [...this.approvals.values()]
      .filter((approval) => approval.status === status)
      .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    const items = all.slice(start, start + options.limit).map((approval) => structuredClone(approval));
    const next = start + options.limit;
    return next < all.length ? { items, nextCursor: String(next) } : { items };
  }

  async recordDecision(approvalId: string, decision: RecordedDecision): Promise<ApprovalRecord | undefined> {
    return this.update(approvalId, (current) =>
      current.status === ApprovalStatusValues.Pending
        ? {
            ...current,
            status:
              decision.decision === 'approve' ? ApprovalStatusValues.Approved : ApprovalStatusValues.Rejected,
            decision,
          }
        : undefined,
    );
  }

  async revertDecision(approvalId: string, decision: RecordedDecision): Promise<void> {
    this.update(approvalId, (current) => {
      if (
        current.decision?.decidedAt !== decision.decidedAt ||
        current.decision.approver !== decision.approver
      ) {
        return undefined;
      }
      const { decision: _removed, ...rest } = current;
      return { ...rest, status: ApprovalStatusValues.Pending };
    });
  }

  async markExpired(
    approvalId: string,
    expectedStatus: ApprovalStatus,
    expiredAt: string,
  ): Promise<ApprovalRecord | undefined> {
    return this.update(approvalId, (current) => {
      if (current.status !== expectedStatus) return undefined;
      const { decision: _removed, ...rest } = current;
      return { ...rest, status: ApprovalStatusValues.Expired, expiredAt };
    });
  }

  async recordHeartbeat(approvalId: string, at: string): Promise<ApprovalRecord | undefined> {
    return this.update(approvalId, (current) =>
      current.status === ApprovalStatusValues.Pending ? { ...current, lastHeartbeatAt: at } : undefined,
    );
  }

  async getTaskToken(approvalId: string): Promise<string | undefined> {
    return this.tokens.get(approvalId);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    this.audit.push(structuredClone(entry));
  }

  async auditOfApproval(approvalId: string): Promise<AuditEntry[]> {
    return this.audit.filter((entry) => entry.approvalId === approvalId);
  }

  async auditOfOrder(orderId: string): Promise<AuditEntry[]> {
    return this.audit.filter((entry) => entry.orderId === orderId);
  }

  async keepRejectedEvent(record: RejectedEventRecord): Promise<void> {
    this.rejectedEvents.push(structuredClone(record));
  }

  async listRejectedEvents(limit: number): Promise<RejectedEventRecord[]> {
    return this.rejectedEvents.slice(-limit).reverse();
  }

  private update(
    approvalId: string,
    change: (current: ApprovalRecord) => ApprovalRecord | undefined,
  ): ApprovalRecord | undefined {
    const current = this.approvals.get(approvalId);
    if (current === undefined) return undefined;
    const next = change(current);
    if (next === undefined) return undefined;
    this.approvals.set(approvalId, next);
    return structuredClone(next);
  }
}
