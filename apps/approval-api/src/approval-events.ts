import {
  AnyEventBridgeEventSchema,
  ApprovalDecisionEventDetailSchema,
  ApprovalStatusValues,
  DetailTypes,
  EventSources,
  OrderExpiredDetailSchema,
  OrderFailedDetailSchema,
  deriveApprovalId,
} from '@flow/contracts';
import type { Actor } from './actor';
import { type DecideDeps, decide } from './decide';
import { expireApproval } from './expire';
import { keepPendingApprovalsAlive, type KeepaliveSummary } from './keepalive';
import type { ApprovalOutcome } from './outcomes';
import type { RejectedEventRecord } from './store/approval-store';

/** Dependencies of {@link handleApprovalEvent}. */
export interface ApprovalEventDeps extends DecideDeps {
  /** EventBridge sources allowed to decide approvals (TRUSTED_DECISION_SOURCES). */
  readonly trustedSources: ReadonlySet<string>;
}

/** What became of an event. */
export type ApprovalEventResult =
  /** An `ApprovalDecision` from a trusted source went through the decision path. */
  | { readonly kind: 'decision'; readonly eventId: string; readonly outcome: ApprovalOutcome }
  /** An `OrderExpired` from the workflow: the approval is now expired (or was already settled). */
  | {
      readonly kind: 'expiry';
      readonly eventId: string;
      readonly approvalId: string;
      readonly status: string;
    }
  /** An `OrderFailed` of an execution that never asked for approval: nothing to do. */
  | { readonly kind: 'unrelated'; readonly eventId: string }
  /** The keepalive schedule fired: every pending approval was heartbeaten (see {@link keepPendingApprovalsAlive}). */
  | { readonly kind: 'keepalive'; readonly eventId: string; readonly summary: KeepaliveSummary }
  /** Not acted upon; kept in the approvals table as a `rejected-event` item for inspection. */
  | { readonly kind: 'kept'; readonly eventId: string; readonly reason: string };

/** The event an EventBridge schedule (a rule's ScheduleExpression) sends. */
const SCHEDULED_EVENT_SOURCE = 'aws.events';
const SCHEDULED_EVENT_DETAIL_TYPE = 'Scheduled Event';

const REDACTED = '[REDACTED]';
const SECRET_KEY = /token|secret|password|authorization|credential/i;

/** A deep copy of an event with secret-looking fields (task tokens, credentials) replaced: safe to keep. */
export const withoutSecrets = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) ? REDACTED : withoutSecrets(inner),
      ]),
    );
  }
  return value;
};

/**
 * The workflow ended without a decision (timeout, failure): a still pending approval of that execution becomes
 * `expired`. `undefined` when the execution has no approval.
 */
const settleAfterWorkflowEnd = async (
  executionId: string,
  note: string,
  deps: ApprovalEventDeps,
): Promise<{ approvalId: string; status: string } | undefined> => {
  const approvalId = await deriveApprovalId(executionId);
  const approval = await deps.store.get(approvalId);
  if (approval === undefined) return undefined;
  const settled =
    approval.status === ApprovalStatusValues.Pending
      ? await expireApproval(approval, ApprovalStatusValues.Pending, { actor: 'workflow', note }, deps)
      : approval;
  return { approvalId, status: settled.status };
};

const issuePaths = (issues: readonly { path: readonly PropertyKey[] }[]): string =>
  [...new Set(issues.map((issue) => issue.path.map(String).join('.') || '(root)'))].join(', ');

/**
 * Handles the events routed to the approvals service:
 *
 * - `ApprovalDecision` from a source in `trustedSources`: decided through {@link decide}, the same path as the
 *   HTTP API, with the actor `<source>:<approver>` in the `approver` role.
 * - `ApprovalDecision` from any other source, or with an invalid detail: ignored, and kept (secrets removed) as a
 *   `rejected-event` item in the approvals table, listed by `GET /rejected-events`.
 * - `OrderExpired` or `OrderFailed` from the workflow: a pending approval of that execution becomes `expired`
 *   (audit actor `workflow`), so every approval ends in one final status even when nobody decided.
 * - the keepalive schedule's `Scheduled Event` (source `aws.events`): every pending approval's workflow task gets a
 *   heartbeat ({@link keepPendingApprovalsAlive}).
 */
export const handleApprovalEvent = async (
  event: unknown,
  deps: ApprovalEventDeps,
): Promise<ApprovalEventResult> => {
  const receivedAt = deps.now().toISOString();
  const envelope = AnyEventBridgeEventSchema.safeParse(event);
  if (!envelope.success) {
    throw new Error(`not an EventBridge event: invalid ${issuePaths(envelope.error.issues)}`);
  }
  const { id: eventId, source } = envelope.data;
  const detailType = envelope.data['detail-type'];

  const keep = async (reason: string): Promise<ApprovalEventResult> => {
    const record: RejectedEventRecord = {
      eventId,
      source,
      detailType,
      receivedAt,
      reason,
      event: withoutSecrets(event),
    };
    await deps.store.keepRejectedEvent(record);
    return { kind: 'kept', eventId, reason };
  };

  if (detailType === DetailTypes.OrderExpired && source === EventSources.Workflow) {
    const detail = OrderExpiredDetailSchema.safeParse(envelope.data.detail);
    if (!detail.success)
      return keep(`invalid ${DetailTypes.OrderExpired} detail: ${issuePaths(detail.error.issues)}`);
    const settled = await settleAfterWorkflowEnd(
      detail.data.executionId,
      `AwaitApproval ended with ${detail.data.error}`,
      deps,
    );
    return settled === undefined
      ? keep(`no approval for execution ${detail.data.executionId}`)
      : { kind: 'expiry', eventId, ...settled };
  }

  if (detailType === DetailTypes.OrderFailed && source === EventSources.Workflow) {
    // Most failed orders never reached AwaitApproval: without an approval there is nothing to settle or keep.
    const detail = OrderFailedDetailSchema.safeParse(envelope.data.detail);
    if (!detail.success)
      return keep(`invalid ${DetailTypes.OrderFailed} detail: ${issuePaths(detail.error.issues)}`);
    const settled = await settleAfterWorkflowEnd(
      detail.data.executionId,
      `the workflow failed with ${detail.data.error}`,
      deps,
    );
    return settled === undefined ? { kind: 'unrelated', eventId } : { kind: 'expiry', eventId, ...settled };
  }

  // Only EventBridge itself sends `aws.*` sources (PutEvents refuses them): this is the keepalive schedule.
  if (detailType === SCHEDULED_EVENT_DETAIL_TYPE && source === SCHEDULED_EVENT_SOURCE) {
    return { kind: 'keepalive', eventId, summary: await keepPendingApprovalsAlive(deps) };
  }

  if (detailType !== DetailTypes.ApprovalDecision) return keep(`unexpected detail-type ${detailType}`);
  if (!deps.trustedSources.has(source)) return keep(`untrusted source ${source}`);
  const detail = ApprovalDecisionEventDetailSchema.safeParse(envelope.data.detail);
  if (!detail.success)
    return keep(`invalid ${DetailTypes.ApprovalDecision} detail: ${issuePaths(detail.error.issues)}`);

  const actor: Actor = {
    id: `${source}:${detail.data.approver}`,
    identities: [`${source}:${detail.data.approver}`, detail.data.approver],
    roles: ['approver'],
    channel: 'event',
  };
  const outcome = await decide(
    {
      approvalId: detail.data.approvalId,
      decision: detail.data.decision,
      comment: detail.data.comment,
      actor,
    },
    deps,
  );
  return { kind: 'decision', eventId, outcome };
};
