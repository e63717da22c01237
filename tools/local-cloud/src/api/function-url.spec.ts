import { functionUrlEvent, functionUrlResponse } from './function-url';

describe('functionUrlEvent', () => {
  it('builds the payload-format-2.0 event of a function URL request', () => {
    // Arrange
    const request = {
      method: 'POST',
      headers: {
        host: '127.0.0.1:4566',
        'content-type': 'application/json',
        cookie: 'a=1; b=2',
        'user-agent': 'ua',
      },
      body: Buffer.from('{"decision":"approve"}'),
      requestId: 'req-1',
    };

    // Act
    const event = functionUrlEvent(
      request,
      '/approvals/a-1/decision',
      'x=1&x=2',
      new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    );

    // Assert
    expect(event).toStrictEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/approvals/a-1/decision',
      rawQueryString: 'x=1&x=2',
      cookies: ['a=1', 'b=2'],
      headers: { host: '127.0.0.1:4566', 'content-type': 'application/json', 'user-agent': 'ua' },
      queryStringParameters: { x: '1,2' },
      requestContext: {
        accountId: 'anonymous',
        apiId: 'local',
        domainName: '127.0.0.1:4566',
        domainPrefix: 'local',
        http: {
          method: 'POST',
          path: '/approvals/a-1/decision',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'ua',
        },
        requestId: 'req-1',
        routeKey: '$default',
        stage: '$default',
        time: '02/Jan/2026:03:04:05 +0000',
        timeEpoch: Date.UTC(2026, 0, 2, 3, 4, 5),
      },
      body: '{"decision":"approve"}',
      isBase64Encoded: false,
    });
  });
});

describe('functionUrlResponse', () => {
  it('maps a structured result (status, headers, cookies, base64 body)', () => {
    // Act
    const response = functionUrlResponse(
      {
        statusCode: 201,
        headers: { 'Content-Type': 'text/plain', 'X-Count': 3 },
        cookies: ['s=1'],
        body: Buffer.from('created').toString('base64'),
        isBase64Encoded: true,
      },
      'r',
    );

    // Assert
    expect(response).toStrictEqual({
      status: 201,
      headers: { 'x-amzn-requestid': 'r', 'content-type': 'text/plain', 'x-count': '3', 'set-cookie': 's=1' },
      body: Buffer.from('created'),
    });
  });

  it('answers a result without statusCode as JSON 200, as function URLs do', () => {
    // Act
    const response = functionUrlResponse({ ok: true }, 'r');

    // Assert
    expect(response).toStrictEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'r' },
      body: '{"ok":true}',
    });
  });
});
