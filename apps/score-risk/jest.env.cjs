process.env.POWERTOOLS_SERVICE_NAME = 'score-risk';
process.env.RISK_ELEVATED_COUNTRIES = 'XX';
// Metrics write EMF to stdout; keep test output readable.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
