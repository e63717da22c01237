import { ApprovalRoles, type DecisionChannel } from '@flow/contracts';

/** Whoever acts on an approval: a person with a verified token, or a trusted external system. */
export interface Actor {
  /** Recorded as `approver`/`actor`: the JWT `sub`, or `<event source>:<approver>` for an event. */
  readonly id: string;
  /** Every identity the actor stands for, compared with the order's `requestedBy` (separation of duties). */
  readonly identities: readonly string[];
  readonly roles: readonly string[];
  readonly channel: DecisionChannel;
}

/** May this actor decide approvals? */
export const canDecide = (actor: Actor): boolean => actor.roles.includes(ApprovalRoles.Approver);

/** May this actor keep a review alive with heartbeats? */
export const canHeartbeat = (actor: Actor): boolean =>
  actor.roles.includes(ApprovalRoles.Approver) || actor.roles.includes(ApprovalRoles.Reviewer);

/** May this actor read approvals and their audit trail? Every authenticated role the service knows may. */
export const canRead = (actor: Actor): boolean =>
  canHeartbeat(actor) || actor.roles.includes(ApprovalRoles.Requester);

/** Did this actor request the order (and so may not decide on it)? */
export const isRequester = (actor: Actor, requestedBy: string): boolean =>
  actor.identities.includes(requestedBy);
