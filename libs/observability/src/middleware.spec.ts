import { buildEventBridgeEvent, captureOutput, createLambdaContext, parseJsonLines } from '@flow/testing';
import { extractCorrelationKeys } from './correlation';
import type * as Middleware from './middleware';
import type * as Powertools from './powertools';

/**
 * Fresh Powertools instances per test, initialised as Lambda initialises an on-demand function (Powertools reports a
 * cold start only when `AWS_LAMBDA_INITIALIZATION_TYPE` is `on-demand`).
 */
const loadFreshObservability = async () => {
  process.env['AWS_LAMBDA_INITIALIZATION_TYPE'] = 'on-demand';
  let loaded: (typeof Middleware & typeof Powertools) | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = { ...(await import('./middleware')), ...(await import('./powertools')) };
  });
  delete process.env['AWS_LAMBDA_INITIALIZATION_TYPE'];
  if (loaded === undefined) throw new Error('modules not loaded');
  return loaded;
};

const executionId = 'arn:aws:states:us-east-1:000000000000:execution:ComplexWorkflow:run-1';

describe('extractCorrelationKeys', () => {
  it('reads the event id and order id of an EventBridge event', () => {
    // Arrange
    const event = buildEventBridgeEvent({
      detailType: 'OrderSubmitted',
      source: 'com.example.orders',
      detail: { orderId: 'ord-1' },
      id: 'evt-1',
    });

    // Act
    const keys = extractCorrelationKeys(event);

    // Assert
    expect(keys).toStrictEqual({ orderId: 'ord-1', eventId: 'evt-1' });
  });

  it('reads the execution id, nested order id and event id of a task payload', () => {
    // Act
    const keys = extractCorrelationKeys({ executionId, eventId: 'evt-1', order: { orderId: 'ord-1' } });

    // Assert
    expect(keys).toStrictEqual({ executionId, orderId: 'ord-1', eventId: 'evt-1' });
  });

  it('returns no keys for payloads without them', () => {
    // Act
    const keys = [null, 'text', [], { orderId: 42, id: 'not-an-event' }].map(extractCorrelationKeys);

    // Assert
    expect(keys).toStrictEqual([{}, {}, {}, {}]);
  });
});

describe('withObservability', () => {
  it('adds the Lambda context and correlation keys to log lines during the invocation only', async () => {
    // Arrange
    const { withObservability, logger } = await loadFreshObservability();
    const handler = withObservability(async (event: { orderId: string; executionId: string }) => {
      logger.info('working');
      return { ok: event.orderId };
    });
    const context = createLambdaContext({ functionName: 'score-risk' });
    let result: unknown;

    // Act
    const lines = await captureOutput(async () => {
      result = await handler({ orderId: 'ord-7', executionId }, context);
      logger.info('after the invocation');
    });

    // Assert
    expect(result).toStrictEqual({ ok: 'ord-7' });
    const logs = parseJsonLines(lines).filter((line) =>
      ['working', 'after the invocation'].includes(String(line['message'])),
    );
    expect(logs).toEqual([
      expect.objectContaining({
        message: 'working',
        function_name: 'score-risk',
        function_request_id: context.awsRequestId,
        cold_start: true,
        orderId: 'ord-7',
        executionId,
      }),
      expect.not.objectContaining({ orderId: 'ord-7' }),
    ]);
  });

  it('flushes metrics with a cold-start metric', async () => {
    // Arrange
    const { withObservability } = await loadFreshObservability();
    const handler = withObservability(async () => 'done');

    // Act
    const lines = await captureOutput(() => handler({}, createLambdaContext({ functionName: 'metrics-fn' })));

    // Assert
    const emf = parseJsonLines(lines).filter((line) => '_aws' in line);
    expect(emf).toContainEqual(expect.objectContaining({ ColdStart: 1, function_name: 'metrics-fn' }));
  });

  it('reports an invocation without metrics as a structured WARN line, not bare stderr text', async () => {
    // Arrange: a warm invocation (after the cold one) that counts nothing
    const { withObservability } = await loadFreshObservability();
    const handler = withObservability(async () => 'done');
    await captureOutput(() => handler({}, createLambdaContext({ functionName: 'quiet-fn' })));

    // Act
    const lines = await captureOutput(() => handler({}, createLambdaContext({ functionName: 'quiet-fn' })));

    // Assert
    expect(lines.filter((line) => !line.startsWith('{'))).toStrictEqual([]);
    expect(parseJsonLines(lines)).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: expect.stringMatching(/^No application metrics to publish/) as unknown,
        function_name: 'quiet-fn',
      }),
    );
  });

  it('fails with the handler error and still resets the correlation keys', async () => {
    // Arrange
    const { withObservability, logger } = await loadFreshObservability();
    const handler = withObservability(async (_event: { orderId: string }) => {
      throw new Error('boom');
    });

    // Act
    let thrown: unknown;
    const lines = await captureOutput(async () => {
      thrown = await handler({ orderId: 'ord-8' }, createLambdaContext()).catch((error: unknown) => error);
      logger.info('later');
    });

    // Assert
    expect(thrown).toEqual(expect.objectContaining({ message: 'boom' }));
    expect(parseJsonLines(lines).find((line) => line['message'] === 'later')).not.toHaveProperty('orderId');
  });

  it('fails with a TransientDependencyError when the handler hit AWS throttling', async () => {
    // Arrange
    const { withObservability } = await loadFreshObservability();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const handler = withObservability(async () => {
      throw throttled;
    });

    // Act
    let thrown: unknown;
    await captureOutput(async () => {
      thrown = await handler({}, createLambdaContext()).catch((error: unknown) => error);
    });

    // Assert
    expect(thrown).toEqual(
      expect.objectContaining({
        name: 'TransientDependencyError',
        message: 'ThrottlingException: Rate exceeded',
        cause: throttled,
      }),
    );
  });
});
