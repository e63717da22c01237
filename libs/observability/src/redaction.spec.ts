import { REDACTED, forgetSecrets, redactString, redactingJsonReplacer, registerSecret } from './redaction';

const token = 'AQCEAAAAKgAAAAMAAAAAAAAAAZFp3Vt7fwEXAMPLEtokenPayload==';

afterEach(() => forgetSecrets());

describe('redactingJsonReplacer', () => {
  it.each(['taskToken', 'TaskToken', 'token', 'Token', 'task_token', 'Authorization'])(
    'replaces the value under the sensitive key %s',
    (key) => {
      // Act
      const json = JSON.stringify({ [key]: token, other: 'kept' }, redactingJsonReplacer);

      // Assert
      expect(JSON.parse(json)).toStrictEqual({ [key]: REDACTED, other: 'kept' });
    },
  );

  it('replaces a registered secret wherever it appears, whatever the key', () => {
    // Arrange
    registerSecret(token);

    // Act
    const json = JSON.stringify({ note: `resuming with ${token} now`, list: [token] }, redactingJsonReplacer);

    // Assert
    expect(JSON.parse(json)).toStrictEqual({ note: `resuming with ${REDACTED} now`, list: [REDACTED] });
  });

  it('leaves null and missing sensitive values alone', () => {
    // Act
    const json = JSON.stringify({ token: null, taskToken: undefined }, redactingJsonReplacer);

    // Assert
    expect(JSON.parse(json)).toStrictEqual({ token: null });
  });
});

describe('redactString', () => {
  it('replaces a task token embedded as JSON text, e.g. an SQS message body', () => {
    // Act
    const text = redactString(JSON.stringify({ orderId: 'o-1', taskToken: 'abc"def\\ghi', amount: 5 }));

    // Assert
    expect(JSON.parse(text)).toStrictEqual({ orderId: 'o-1', taskToken: REDACTED, amount: 5 });
  });

  it('replaces a token passed as a query parameter', () => {
    // Act
    const text = redactString('GET /callback?orderId=o-1&taskToken=AAAA%2FBBBB&x=1');

    // Assert
    expect(text).toBe(`GET /callback?orderId=o-1&taskToken=${REDACTED}&x=1`);
  });

  it('does not register values too short to be secrets', () => {
    // Arrange
    registerSecret('abc');

    // Act
    const text = redactString('abc abc');

    // Assert
    expect(text).toBe('abc abc');
  });

  it('forgets the oldest secrets beyond 256', () => {
    // Arrange
    const secrets = Array.from(
      { length: 257 },
      (_, index) => `secret-value-${String(index).padStart(4, '0')}`,
    );
    secrets.forEach(registerSecret);

    // Act
    const text = redactString(`${secrets[0]} ${secrets[256]}`);

    // Assert
    expect(text).toBe(`${secrets[0]} ${REDACTED}`);
  });
});
