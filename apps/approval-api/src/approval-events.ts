import {
  AnyEventBridgeEventSchema,
  ApprovalDecisionEventDetailSchema,
  ApprovalStatusValues,
  DetailTypes,
  EventSources,
  OrderExpiredDetailSchema,
  deriveApprovalId,
} from '@flow/contracts';
import type { Actor } from './actor';
import { type DecideDeps, decide } from './decide';
import { expireApproval } from './expire';
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
  /** Not acted upon; kept in the approvals table as a `rejected-event` item for inspection. */
  | { readonly kind: 'kept'; readonly eventId: string; readonly reason: string };

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

const issuePaths = (issues: readonly { path: readonly PropertyKey[] }[]): string =>
  [...new Set(issues.map((issue) => issue.path.map(String).join('.') || '(root)'))].join(', ');

/**
 * Handles the events routed to the approvals service:
 *
 * - `ApprovalDecision` from a source in `trustedSources`: decided through {@link decide}, the same path as the
 *   HTTP API, with the actor `<source>:<approver>` in the `approver` role.
 * - `ApprovalDecision` from any other source, or with an invalid detail: ignored, and kept (secrets removed) as a
 *   `rejected-event` item in the approvals table, listed by `GET /rejected-events`.
 * - `OrderExpired` from the workflow: the approval of that execution becomes `expired` (audit actor `workflow`).
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
    const approvalId = await deriveApprovalId(detail.data.executionId);
    const approval = await deps.store.get(approvalId);
    if (approval === undefined) return keep(`no approval for execution ${detail.data.executionId}`);
    const settled =
      approval.status === ApprovalStatusValues.Pending
        ? await expireApproval(
            approval,
            ApprovalStatusValues.Pending,
            { actor: 'workflow', note: `AwaitApproval ended with ${detail.data.error}` },
            deps,
          )
        : approval;
    return { kind: 'expiry', eventId, approvalId, status: settled.status };
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
