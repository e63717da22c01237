import {
  APPROVAL_AMOUNT_THRESHOLD,
  type PricedOrder,
  RISK_HIGH_THRESHOLD,
  RISK_MEDIUM_THRESHOLD,
  RISK_SCORE_MAX,
  type RiskLevel,
  type RiskReason,
  type ScoreRiskOutput,
} from '@flow/contracts';

/** Tunable inputs of the scoring rules. */
export interface RiskPolicy {
  /** Shipping countries (ISO 3166-1 alpha-2) that add {@link RISK_POINTS.elevatedRiskCountry} points. */
  readonly elevatedRiskCountries: readonly string[];
  /** Units of one SKU from which a line counts as bulk buying. */
  readonly bulkQuantity: number;
  /** Accounts younger than this many days (at submission) count as young. */
  readonly youngAccountDays: number;
}

/** The policy used when the function is not configured otherwise. */
export const DEFAULT_RISK_POLICY: RiskPolicy = {
  elevatedRiskCountries: [],
  bulkQuantity: 50,
  youngAccountDays: 30,
};

/** Points each signal adds to the score (0–100). */
export const RISK_POINTS = {
  amountOverApprovalThreshold: 40,
  amountElevated: 15,
  newCustomer: 20,
  youngAccount: 15,
  perChargeback: 25,
  maxChargebacks: 50,
  bulkQuantity: 15,
  elevatedRiskCountry: 20,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Scores an order's risk from its amount, the customer's history and where it ships. Pure and deterministic:
 * account age is measured at the order's `submittedAt`, not at the time of scoring.
 *
 * @returns the score (capped at 100), its level (`high` ≥ 70, `medium` ≥ 40) and one reason per signal that fired
 *
 * @example
 * ```ts
 * scoreRisk(order).level; // 'low' for a small order from a customer with a clean history
 * ```
 */
export const scoreRisk = (order: PricedOrder, policy: RiskPolicy = DEFAULT_RISK_POLICY): ScoreRiskOutput => {
  const reasons: RiskReason[] = [];
  const add = (code: RiskReason['code'], points: number, detail: string): void => {
    reasons.push({ code, points, detail });
  };
  const { total } = order.totals;
  const amount = `${total} ${order.currency}`;

  if (total > APPROVAL_AMOUNT_THRESHOLD) {
    add(
      'AMOUNT_OVER_APPROVAL_THRESHOLD',
      RISK_POINTS.amountOverApprovalThreshold,
      `total ${amount} is over the approval threshold of ${APPROVAL_AMOUNT_THRESHOLD}`,
    );
  } else if (total > APPROVAL_AMOUNT_THRESHOLD / 2) {
    add('AMOUNT_ELEVATED', RISK_POINTS.amountElevated, `total ${amount} is over half the approval threshold`);
  }

  const history = order.customerHistory;
  if (history === undefined || history.previousOrders === 0) {
    add('NEW_CUSTOMER', RISK_POINTS.newCustomer, 'first order of this customer');
  }
  if (history !== undefined) {
    const ageDays = Math.floor(
      (Date.parse(order.submittedAt) - Date.parse(history.accountCreatedAt)) / DAY_MS,
    );
    if (ageDays < policy.youngAccountDays) {
      add('YOUNG_ACCOUNT', RISK_POINTS.youngAccount, `account is ${Math.max(ageDays, 0)} days old`);
    }
    if (history.chargebacks > 0) {
      add(
        'PRIOR_CHARGEBACKS',
        Math.min(history.chargebacks * RISK_POINTS.perChargeback, RISK_POINTS.maxChargebacks),
        `${history.chargebacks} prior chargeback${history.chargebacks === 1 ? '' : 's'}`,
      );
    }
  }

  const bulkLines = order.lines.filter((line) => line.quantity >= policy.bulkQuantity);
  if (bulkLines.length > 0) {
    add(
      'BULK_QUANTITY',
      RISK_POINTS.bulkQuantity,
      `bulk quantity of ${bulkLines.map((line) => `${line.quantity} × ${line.sku}`).join(', ')}`,
    );
  }

  const country = order.shippingAddress.country;
  if (policy.elevatedRiskCountries.includes(country)) {
    add(
      'ELEVATED_RISK_COUNTRY',
      RISK_POINTS.elevatedRiskCountry,
      `ships to ${country}, a country under review`,
    );
  }

  const score = Math.min(
    reasons.reduce((sum, reason) => sum + reason.points, 0),
    RISK_SCORE_MAX,
  );
  return { score, level: riskLevel(score), reasons };
};

/** The level of a score: `high` from {@link RISK_HIGH_THRESHOLD}, `medium` from {@link RISK_MEDIUM_THRESHOLD}. */
export const riskLevel = (score: number): RiskLevel =>
  score >= RISK_HIGH_THRESHOLD ? 'high' : score >= RISK_MEDIUM_THRESHOLD ? 'medium' : 'low';

/**
 * Parses the `RISK_ELEVATED_COUNTRIES` setting (comma-separated ISO country codes, e.g. `"XX, YY"`).
 * @throws Error naming the entries that are not 2-letter upper-case codes
 */
export const parseCountryList = (value: string): string[] => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const wrong = entries.filter((entry) => !/^[A-Z]{2}$/.test(entry));
  if (wrong.length > 0) {
    throw new Error(
      `RISK_ELEVATED_COUNTRIES must list ISO 3166-1 alpha-2 codes; not valid: ${wrong.join(', ')}`,
    );
  }
  return entries;
};
