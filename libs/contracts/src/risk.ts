import { z } from 'zod';
import { ExecutionIdSchema } from './common';
import { PricedOrderSchema } from './process-task';
import { RISK_SCORE_MAX } from './thresholds';

/**
 * ScoreRisk's input (branch 2 of `ParallelTasks`). Infra's payload:
 * `{ 'order.$': '$.order', 'executionId.$': '$$.Execution.Id' }`.
 */
export const ScoreRiskInputSchema = z.object({
  order: PricedOrderSchema,
  executionId: ExecutionIdSchema.optional(),
});
export type ScoreRiskInput = z.infer<typeof ScoreRiskInputSchema>;

/** Risk levels; `high` routes the order to `AwaitApproval`. */
export const RiskLevelSchema = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

/** Machine-readable reason codes, one per signal that raised the score. */
export const RiskReasonCodeSchema = z.enum([
  'AMOUNT_OVER_APPROVAL_THRESHOLD',
  'AMOUNT_ELEVATED',
  'NEW_CUSTOMER',
  'YOUNG_ACCOUNT',
  'PRIOR_CHARGEBACKS',
  'BULK_QUANTITY',
  'ELEVATED_RISK_COUNTRY',
]);
export type RiskReasonCode = z.infer<typeof RiskReasonCodeSchema>;

/** One signal that contributed to the score. */
export const RiskReasonSchema = z.object({
  code: RiskReasonCodeSchema,
  /** Points this signal added. */
  points: z.number().int().positive(),
  detail: z.string().min(1),
});
export type RiskReason = z.infer<typeof RiskReasonSchema>;

/** ScoreRisk's output. */
export const ScoreRiskOutputSchema = z.object({
  score: z.number().int().min(0).max(RISK_SCORE_MAX),
  level: RiskLevelSchema,
  reasons: z.array(RiskReasonSchema),
});
export type ScoreRiskOutput = z.infer<typeof ScoreRiskOutputSchema>;
