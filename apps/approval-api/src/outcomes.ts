import type { ApprovalRecord } from '@flow/contracts';

/** What an action on an approval came to; the HTTP layer maps each kind to a status code. */
export type ApprovalOutcome =
  | { readonly kind: 'ok'; readonly approval: ApprovalRecord }
  | { readonly kind: 'not-found'; readonly approvalId: string }
  | { readonly kind: 'forbidden'; readonly reason: string }
  /** The approval was already decided: nothing changed. */
  | { readonly kind: 'conflict'; readonly approval: ApprovalRecord }
  /** The approval expired (now or before): the workflow no longer waits. */
  | { readonly kind: 'gone'; readonly approval: ApprovalRecord };
