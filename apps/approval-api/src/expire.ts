import { type ApprovalRecord, type ApprovalStatus } from '@flow/contracts';
import type { ApprovalStore } from './store/approval-store';

/** Dependencies of {@link expireApproval}. */
export interface ExpireDeps {
  readonly store: ApprovalStore;
  readonly now: () => Date;
}

/**
 * Marks an approval expired (from `expectedStatus`) and records why in the audit trail.
 * @returns the approval as it is afterwards: expired by this call, or whatever another writer made it.
 */
export const expireApproval = async (
  approval: ApprovalRecord,
  expectedStatus: ApprovalStatus,
  audit: { actor: string; note: string },
  deps: ExpireDeps,
): Promise<ApprovalRecord> => {
  const at = deps.now().toISOString();
  const expired = await deps.store.markExpired(approval.approvalId, expectedStatus, at);
  if (expired === undefined) {
    return (await deps.store.get(approval.approvalId)) ?? approval;
  }
  await deps.store.appendAudit({
    approvalId: approval.approvalId,
    orderId: approval.orderId,
    at,
    action: 'expired',
    actor: audit.actor,
    note: audit.note,
  });
  return expired;
};
