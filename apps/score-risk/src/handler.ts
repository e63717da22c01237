import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  EnvVars,
  type ScoreRiskOutput,
  ScoreRiskInputSchema,
  describeFieldErrors,
  toFieldErrors,
} from '@flow/contracts';
import { logger, metrics, readOptionalEnv, withObservability } from '@flow/observability';
import { InvalidTaskInputError } from './errors';
import { DEFAULT_RISK_POLICY, type RiskPolicy, parseCountryList, scoreRisk } from './score-risk';

const policy: RiskPolicy = {
  ...DEFAULT_RISK_POLICY,
  elevatedRiskCountries: parseCountryList(readOptionalEnv(EnvVars.RiskElevatedCountries, '')),
};

const scoreRiskTask = async (event: unknown): Promise<ScoreRiskOutput> => {
  const input = ScoreRiskInputSchema.safeParse(event);
  if (!input.success) {
    throw new InvalidTaskInputError(
      `ScoreRisk expects { order, executionId? }: ${describeFieldErrors(toFieldErrors(input.error))}`,
    );
  }
  const result = scoreRisk(input.data.order, policy);
  metrics.addDimension('riskLevel', result.level);
  metrics.addMetric('OrderScored', MetricUnit.Count, 1);
  logger.info('risk scored', {
    score: result.score,
    // `level` is the Logger's own key (the log level): an attribute of that name is dropped with a WARN line.
    riskLevel: result.level,
    reasons: result.reasons.map((r) => r.code),
  });
  return result;
};

/** `ScoreRisk` (branch 2 of `ParallelTasks`): payload `{ order, executionId }`, result `{ score, level, reasons }`. */
export const handler = withObservability(scoreRiskTask);
