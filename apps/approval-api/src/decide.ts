import {
  type ApprovalDecisionOutput,
  type ApprovalDecisionValue,
  type ApprovalRecord,
  ApprovalStatusValues,
  type RecordedDecision,
} from '@flow/contracts';
import { type Actor, canDecide, isRequester } from './actor';
import { MissingTaskTokenError } from './errors';
import { expireApproval } from './expire';
import type { ApprovalOutcome } from './outcomes';
import type { ApprovalStore } from './store/approval-store';
import { TaskTokenError, type TaskTokenClient } from './task-token-client';

/** A decision to apply, from the HTTP API or an external event. */
export interface DecideCommand {
  readonly approvalId: string;
  readonly decision: ApprovalDecisionValue;
  readonly comment: string;
  readonly actor: Actor;
}

/** Dependencies of {@link decide}. */
export interface DecideDeps {
  readonly store: ApprovalStore;
  readonly tokens: TaskTokenClient;
  readonly now: () => Date;
}

const settledOutcome = (approval: ApprovalRecord): ApprovalOutcome =>
  approval.status === ApprovalStatusValues.Expired
    ? { kind: 'gone', approval }
    : { kind: 'conflict', approval };

/**
 * Decides an approval: the one decision path for people (HTTP) and systems (events).
 *
 * 1. Only the `approver` role decides, never on an order the actor requested (`forbidden`).
 * 2. A decided approval is a `conflict`, an expired one (by status or by clock) is `gone`.
 * 3. One conditional write moves it from `pending` to decided: of concurrent deciders exactly one wins, the
 *    others get a `conflict` with the winner's decision.
 * 4. The winner resumes the workflow with SendTaskSuccess (a rejection is a business outcome, not a failure).
 *    If the workflow no longer waits (TaskTimedOut/TaskDoesNotExist), the approval becomes `expired` (`gone`).
 *    Any other failure undoes the write, so the decision can be retried, and is thrown.
 */
export const decide = async (command: DecideCommand, deps: DecideDeps): Promise<ApprovalOutcome> => {
  const { actor, approvalId } = command;
  if (!canDecide(actor)) {
    return { kind: 'forbidden', reason: 'only the approver role may decide approvals' };
  }
  const approval = await deps.store.get(approvalId);
  if (approval === undefined) return { kind: 'not-found', approvalId };
  if (isRequester(actor, approval.requestedBy)) {
    return { kind: 'forbidden', reason: 'the requester of an order may not decide on it' };
  }
  if (approval.status !== ApprovalStatusValues.Pending) return settledOutcome(approval);

  const now = deps.now();
  if (now.getTime() >= Date.parse(approval.expiresAt)) {
    const expired = await expireApproval(
      approval,
      ApprovalStatusValues.Pending,
      {
        actor: 'system',
        note: `decision by ${actor.id} arrived after the approval expired at ${approval.expiresAt}`,
      },
      deps,
    );
    return settledOutcome(expired);
  }

  const recorded: RecordedDecision = {
    decision: command.decision,
    approver: actor.id,
    comment: command.comment,
    decidedAt: now.toISOString(),
    channel: actor.channel,
  };
  const decided = await deps.store.recordDecision(approvalId, recorded);
  if (decided === undefined) {
    const current = await deps.store.get(approvalId);
    return current === undefined ? { kind: 'not-found', approvalId } : settledOutcome(current);
  }

  const output: ApprovalDecisionOutput = { approvalId, ...recorded };
  try {
    const token = await deps.store.getTaskToken(approvalId);
    if (token === undefined) throw new MissingTaskTokenError(approvalId);
    await deps.tokens.complete(token, output);
  } catch (error) {
    if (error instanceof TaskTokenError) {
      const expired = await expireApproval(
        decided,
        decided.status,
        {
          actor: 'system',
          note: `the workflow no longer waits (${error.name}); the ${command.decision} by ${actor.id} was not applied`,
        },
        deps,
      );
      return settledOutcome(expired);
    }
    await deps.store.revertDecision(approvalId, recorded);
    throw error;
  }

  await deps.store.appendAudit({
    approvalId,
    orderId: decided.orderId,
    at: recorded.decidedAt,
    action: 'decided',
    actor: actor.id,
    decision: command.decision,
    comment: command.comment,
  });
  return { kind: 'ok', approval: decided };
};
