process.env.INVENTORY_TABLE_NAME = 'inventory';
process.env.POWERTOOLS_SERVICE_NAME = 'reserve-inventory';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
// Metrics write EMF to stdout; keep test output readable.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
