import type { Context } from 'aws-lambda';

/**
 * A Lambda `Context` for handler tests, shaped like the one Lambda passes (Node.js 22, 128 MB, 30 s left).
 *
 * @example
 * ```ts
 * const result = await handler(event, createLambdaContext({ functionName: 'score-risk' }));
 * ```
 */
export const createLambdaContext = (overrides: Partial<Context> = {}): Context => {
  const functionName = overrides.functionName ?? 'test-function';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/24/[$LATEST]abcdef0123456789',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
};
