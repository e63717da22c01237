/**
 * Business thresholds shared by the services and the workflow's Choice states (infra imports them, so a change
 * here changes both the code that computes a value and the state that compares it).
 */

/**
 * Orders whose total (major units of the order currency) is strictly greater than this need a human approval
 * (`NeedsApproval`: `$.order.totals.total > APPROVAL_AMOUNT_THRESHOLD`).
 */
export const APPROVAL_AMOUNT_THRESHOLD = 1_000;

/** Risk scores run from 0 (no signal) to this maximum. */
export const RISK_SCORE_MAX = 100;

/** A score at or above this is `medium` risk. */
export const RISK_MEDIUM_THRESHOLD = 40;

/** A score at or above this is `high` risk; `high` risk needs a human approval (`NeedsApproval`). */
export const RISK_HIGH_THRESHOLD = 70;

/** The risk level that routes an order to `AwaitApproval` regardless of its amount. */
export const APPROVAL_RISK_LEVEL = 'high';
