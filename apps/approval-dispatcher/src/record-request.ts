import {
  APPROVAL_AMOUNT_THRESHOLD,
  APPROVAL_DEFAULT_TIMEOUT_SECONDS,
  type ApprovalRecord,
  type ApprovalRequestMessage,
  type ApprovalRequestedDetail,
  ApprovalStatusValues,
  deriveApprovalId,
} from '@flow/contracts';
import type { ApprovalEventPublisher, ApprovalRequestStore } from './ports';

/** Dependencies of {@link recordApprovalRequest}. */
export interface RecordRequestDeps {
  readonly store: ApprovalRequestStore;
  readonly publisher: ApprovalEventPublisher;
}

/** What recording a request came to. */
export interface RecordRequestResult {
  readonly approvalId: string;
  /** `false` when the message was a redelivery of one already recorded. */
  readonly created: boolean;
  /** Whether this call published `ApprovalRequested` (it is published once per approval). */
  readonly published: boolean;
}

/** When the approval expires: `expiresAt` if given, else `requestedAt` + `timeoutSeconds` (default 7 days). */
export const expiryOf = (message: ApprovalRequestMessage): string =>
  message.expiresAt !== undefined
    ? new Date(message.expiresAt).toISOString()
    : new Date(
        Date.parse(message.requestedAt) + (message.timeoutSeconds ?? APPROVAL_DEFAULT_TIMEOUT_SECONDS) * 1000,
      ).toISOString();

/**
 * Why the order needs a human: the workflow's reasons (risk findings), preceded by the amount when it is over
 * `APPROVAL_AMOUNT_THRESHOLD` (the workflow routes on it but sends no reason text for it).
 */
export const reasonsOf = (message: ApprovalRequestMessage): string[] => {
  const amountReason =
    message.amount > APPROVAL_AMOUNT_THRESHOLD
      ? [
          `amount ${message.amount} ${message.currency} is over the approval threshold of ${APPROVAL_AMOUNT_THRESHOLD}`,
        ]
      : [];
  return [...amountReason, ...message.reasons];
};

/** The approval a request message describes: `pending`, id derived from the execution, no token. */
export const approvalFromRequest = (message: ApprovalRequestMessage, approvalId: string): ApprovalRecord => ({
  approvalId,
  orderId: message.orderId,
  executionId: message.executionId,
  amount: message.amount,
  currency: message.currency,
  reasons: reasonsOf(message),
  requestedBy: message.requestedBy,
  requestedAt: new Date(message.requestedAt).toISOString(),
  expiresAt: expiryOf(message),
  status: ApprovalStatusValues.Pending,
});

/**
 * Records an approval request from the approvals queue, idempotently (SQS delivers at least once):
 *
 * 1. the token goes into its own item first, so an approval is never visible without its token;
 * 2. the approval is created with a conditional put on its id (derived from the execution ARN): a redelivered
 *    message finds it and creates nothing;
 * 3. `ApprovalRequested` (no token) is published unless a previous delivery already did, then flagged as published.
 *    A crash between publishing and flagging publishes it again on redelivery (at least once, like the bus).
 */
export const recordApprovalRequest = async (
  message: ApprovalRequestMessage,
  deps: RecordRequestDeps,
): Promise<RecordRequestResult> => {
  const approvalId = await deriveApprovalId(message.executionId);
  const approval = approvalFromRequest(message, approvalId);

  await deps.store.saveTaskToken(approvalId, message.taskToken);
  const created = await deps.store.createApproval(approval);
  await deps.store.auditRequested({
    approvalId,
    orderId: approval.orderId,
    at: approval.requestedAt,
    action: 'requested',
    actor: approval.requestedBy,
    note: approval.reasons.join('; '),
  });

  if (!created && (await deps.store.wasRequestPublished(approvalId))) {
    return { approvalId, created, published: false };
  }
  const { status: _status, ...detail } = approval;
  await deps.publisher.publishApprovalRequested(detail satisfies ApprovalRequestedDetail);
  await deps.store.markRequestPublished(approvalId);
  return { approvalId, created, published: true };
};
