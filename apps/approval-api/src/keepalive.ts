import { type ApprovalRecord, ApprovalStatusValues } from '@flow/contracts';
import { expireApproval } from './expire';
import type { ApprovalStore } from './store/approval-store';
import { TaskTokenError, type TaskTokenClient } from './task-token-client';

/** Dependencies of {@link keepPendingApprovalsAlive}. */
export interface KeepaliveDeps {
  readonly store: ApprovalStore;
  readonly tokens: TaskTokenClient;
  readonly now: () => Date;
}

/** Options of {@link keepPendingApprovalsAlive}. */
export interface KeepaliveOptions {
  /** Approvals read per page of the pending list. Default 100. */
  readonly pageSize?: number;
  /** Heartbeats in flight at once. Default 8. */
  readonly concurrency?: number;
}

/** What one keepalive round did. */
export interface KeepaliveSummary {
  /** Pending approvals found. */
  readonly pending: number;
  /** Heartbeats Step Functions accepted (those workflows keep waiting). */
  readonly heartbeats: number;
  /** Approvals whose workflow no longer waits: now `expired`. */
  readonly expired: number;
  /** Approvals not kept alive this round (no token stored, or a transient error); the next round retries them. */
  readonly failed: readonly { readonly approvalId: string; readonly reason: string }[];
}

type Result = 'heartbeat' | 'expired' | { failed: string };

/**
 * One round of the approval service's keepalive: sends SendTaskHeartbeat for every pending approval, so a workflow
 * waiting at `AwaitApproval` (HeartbeatSeconds) learns that the request is still in front of the approvers and keeps
 * waiting until its TimeoutSeconds. The heartbeat then means what it should: if the approval service loses a request
 * (never recorded, deleted) or stops running, nobody heartbeats it and the workflow gives up after HeartbeatSeconds,
 * releasing the stock, instead of waiting the whole approval timeout.
 *
 * A pending approval whose workflow no longer waits (stopped, timed out, failed without an event) is settled as
 * `expired` on the way, so the inbox never offers it. A keepalive writes `lastHeartbeatAt` but no audit entry: the
 * audit trail records what people and systems did, not the service's own pulse.
 */
export const keepPendingApprovalsAlive = async (
  deps: KeepaliveDeps,
  options: KeepaliveOptions = {},
): Promise<KeepaliveSummary> => {
  const pageSize = options.pageSize ?? 100;
  const concurrency = options.concurrency ?? 8;
  // Read the whole pending list first: expiring approvals while paging would move them out of the index under
  // the cursor.
  const pending: ApprovalRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listByStatus(ApprovalStatusValues.Pending, {
      limit: pageSize,
      ...(cursor === undefined ? {} : { cursor }),
    });
    pending.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  const results = await mapWithConcurrency(pending, concurrency, (approval) => keepAlive(approval, deps));
  const failed = results.flatMap((result, index) =>
    typeof result === 'object'
      ? [{ approvalId: pending[index]?.approvalId ?? '', reason: result.failed }]
      : [],
  );
  return {
    pending: pending.length,
    heartbeats: results.filter((result) => result === 'heartbeat').length,
    expired: results.filter((result) => result === 'expired').length,
    failed,
  };
};

const keepAlive = async (approval: ApprovalRecord, deps: KeepaliveDeps): Promise<Result> => {
  try {
    const token = await deps.store.getTaskToken(approval.approvalId);
    if (token === undefined) return { failed: 'no task token stored for this approval' };
    try {
      await deps.tokens.heartbeat(token);
    } catch (error) {
      if (!(error instanceof TaskTokenError)) throw error;
      const after = await expireApproval(
        approval,
        ApprovalStatusValues.Pending,
        { actor: 'system', note: `keepalive: the workflow no longer waits (${error.name})` },
        deps,
      );
      return after.status === ApprovalStatusValues.Expired ? 'expired' : { failed: `now ${after.status}` };
    }
    // Decided in the meantime: the heartbeat did no harm, and there is nothing to record.
    await deps.store.recordHeartbeat(approval.approvalId, deps.now().toISOString());
    return 'heartbeat';
  } catch (error) {
    return { failed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};

/** Maps `items` through `work` with at most `limit` calls in flight; results in the order of `items`. */
const mapWithConcurrency = async <T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
