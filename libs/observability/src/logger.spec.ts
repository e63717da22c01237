import { buildSqsEvent, captureOutput, createLambdaContext, parseJsonLines } from '@flow/testing';
import { withObservability } from './middleware';
import { logger } from './powertools';
import { REDACTED, forgetSecrets, registerSecret } from './redaction';

const token = 'AQCEAAAAKgAAAAMAAAAAAAAAAZFp3Vt7fwEXAMPLEtokenPayload==';

afterEach(() => forgetSecrets());

describe('the shared logger', () => {
  it('never writes a task token, whatever the key, nesting or container', async () => {
    // Arrange
    registerSecret(token);
    const sqsBody = JSON.stringify({ orderId: 'o-1', taskToken: token });

    // Act
    const lines = await captureOutput(() => {
      logger.info(`received token ${token}`, {
        payload: { taskToken: token },
        request: { input: { TaskToken: token, nested: [{ token }] } },
        body: sqsBody,
        unrelatedKey: token,
      });
      logger.error('callback failed', new Error(`InvalidToken: ${token}`));
    });

    // Assert
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(token);
    const [info, error] = parseJsonLines(lines);
    expect(info).toMatchObject({
      level: 'INFO',
      message: `received token ${REDACTED}`,
      payload: { taskToken: REDACTED },
      request: { input: { TaskToken: REDACTED, nested: [{ token: REDACTED }] } },
      body: `{"orderId":"o-1","taskToken":"${REDACTED}"}`,
      unrelatedKey: REDACTED,
    });
    expect(error).toMatchObject({
      level: 'ERROR',
      error: { name: 'Error', message: `InvalidToken: ${REDACTED}` },
    });
  });

  it('redacts a sensitive key even when the token was never registered', async () => {
    // Act
    const lines = await captureOutput(() =>
      logger.warn('approval request', { taskToken: 'unregistered-token-value' }),
    );

    // Assert
    expect(parseJsonLines(lines)).toEqual([expect.objectContaining({ taskToken: REDACTED })]);
  });

  it('keeps redacting in child loggers', async () => {
    // Arrange
    const child = logger.createChild({ persistentKeys: { component: 'dispatcher' } });

    // Act
    const lines = await captureOutput(() => child.info('child line', { TaskToken: token }));

    // Assert
    expect(lines.join('\n')).not.toContain(token);
    expect(parseJsonLines(lines)).toEqual([
      expect.objectContaining({ component: 'dispatcher', TaskToken: REDACTED }),
    ]);
  });

  it('never logs the task token inside an SQS message body when the incoming event is logged', async () => {
    // Arrange
    const handler = withObservability(async () => 'ok', { logEvent: true });
    const event = buildSqsEvent([{ orderId: 'o-1', taskToken: token }]);

    // Act
    const lines = await captureOutput(() => handler(event, createLambdaContext()));

    // Assert
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).toContain(`\\"taskToken\\":\\"${REDACTED}\\"`);
  });
});
