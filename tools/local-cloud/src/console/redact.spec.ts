import { REDACTED_TOKEN, redactTaskTokens } from './redact';

const token = `AQ${'x'.repeat(200)}_${'Y'.repeat(55)}`;

describe('redactTaskTokens', () => {
  it('replaces task tokens in every nested string and keeps everything else', () => {
    // Arrange
    const date = new Date(0);
    const value = {
      events: [{ id: 3, parameters: `{"MessageBody":{"taskToken":"${token}"}}`, timestamp: date }],
      body: token,
      ok: 'AQ-short-is-not-a-token',
    };

    // Act
    const redacted = redactTaskTokens(value);

    // Assert
    expect(redacted).toStrictEqual({
      events: [{ id: 3, parameters: `{"MessageBody":{"taskToken":"${REDACTED_TOKEN}"}}`, timestamp: date }],
      body: REDACTED_TOKEN,
      ok: 'AQ-short-is-not-a-token',
    });
    expect(JSON.stringify(redacted)).not.toContain(token);
  });
});
