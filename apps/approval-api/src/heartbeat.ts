import { ApprovalStatusValues } from '@flow/contracts';
import { type Actor, canHeartbeat } from './actor';
import { MissingTaskTokenError } from './errors';
import { expireApproval } from './expire';
import type { ApprovalOutcome } from './outcomes';
import type { ApprovalStore } from './store/approval-store';
import { TaskTokenError, type TaskTokenClient } from './task-token-client';

/** A reviewer saying they are still working on an approval. */
export interface HeartbeatCommand {
  readonly approvalId: string;
  readonly note: string;
  readonly actor: Actor;
}

/** Dependencies of {@link heartbeat}. */
export interface HeartbeatDeps {
  readonly store: ApprovalStore;
  readonly tokens: TaskTokenClient;
  readonly now: () => Date;
}

/**
 * Keeps a pending approval's workflow task alive (SendTaskHeartbeat) and records the heartbeat in the audit
 * trail. `approver` and `reviewer` roles may send heartbeats. A decided approval is a `conflict`; if the workflow
 * no longer waits, the approval becomes `expired` (`gone`).
 */
export const heartbeat = async (command: HeartbeatCommand, deps: HeartbeatDeps): Promise<ApprovalOutcome> => {
  const { actor, approvalId } = command;
  if (!canHeartbeat(actor)) {
    return { kind: 'forbidden', reason: 'only the approver or reviewer role may send heartbeats' };
  }
  const approval = await deps.store.get(approvalId);
  if (approval === undefined) return { kind: 'not-found', approvalId };
  if (approval.status === ApprovalStatusValues.Expired) return { kind: 'gone', approval };
  if (approval.status !== ApprovalStatusValues.Pending) return { kind: 'conflict', approval };

  const token = await deps.store.getTaskToken(approvalId);
  if (token === undefined) throw new MissingTaskTokenError(approvalId);
  try {
    await deps.tokens.heartbeat(token);
  } catch (error) {
    if (!(error instanceof TaskTokenError)) throw error;
    const expired = await expireApproval(
      approval,
      ApprovalStatusValues.Pending,
      { actor: 'system', note: `heartbeat by ${actor.id}: the workflow no longer waits (${error.name})` },
      deps,
    );
    return expired.status === ApprovalStatusValues.Expired
      ? { kind: 'gone', approval: expired }
      : { kind: 'conflict', approval: expired };
  }

  const at = deps.now().toISOString();
  const updated = await deps.store.recordHeartbeat(approvalId, at);
  if (updated === undefined) {
    const current = (await deps.store.get(approvalId)) ?? approval;
    return current.status === ApprovalStatusValues.Expired
      ? { kind: 'gone', approval: current }
      : { kind: 'conflict', approval: current };
  }
  await deps.store.appendAudit({
    approvalId,
    orderId: approval.orderId,
    at,
    action: 'heartbeat',
    actor: actor.id,
    ...(command.note === '' ? {} : { note: command.note }),
  });
  return { kind: 'ok', approval: updated };
};
