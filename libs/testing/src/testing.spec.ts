import { captureOutput, parseJsonLines } from './capture-output';
import { buildEventBridgeEvent, buildFunctionUrlEvent, buildSqsEvent } from './events';
import { createLambdaContext } from './lambda-context';
import { loadJsonFixture, loadSampleEvent } from './samples';

describe('createLambdaContext', () => {
  it('derives the ARN and log group from the function name', () => {
    // Act
    const context = createLambdaContext({ functionName: 'score-risk' });

    // Assert
    expect({
      arn: context.invokedFunctionArn,
      logGroup: context.logGroupName,
      remaining: context.getRemainingTimeInMillis(),
    }).toStrictEqual({
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:score-risk',
      logGroup: '/aws/lambda/score-risk',
      remaining: 30_000,
    });
  });
});

describe('event builders', () => {
  it('builds an EventBridge event with the given id', () => {
    // Act
    const event = buildEventBridgeEvent({
      detailType: 'OrderSubmitted',
      source: 'com.example.orders',
      detail: { a: 1 },
      id: 'e-1',
    });

    // Assert
    expect(event).toStrictEqual({
      version: '0',
      id: 'e-1',
      'detail-type': 'OrderSubmitted',
      source: 'com.example.orders',
      account: '000000000000',
      time: '2026-11-24T09:30:01Z',
      region: 'us-east-1',
      resources: [],
      detail: { a: 1 },
    });
  });

  it('JSON-encodes SQS bodies and keeps string bodies as they are', () => {
    // Act
    const event = buildSqsEvent([{ orderId: 'o-1' }, 'not json'], { traceHeader: 'Root=1-abc' });

    // Assert
    expect(event.Records.map((record) => [record.body, record.attributes.AWSTraceHeader])).toStrictEqual([
      ['{"orderId":"o-1"}', 'Root=1-abc'],
      ['not json', 'Root=1-abc'],
    ]);
  });

  it('splits the query string and lower-cases headers of a function URL request', () => {
    // Act
    const event = buildFunctionUrlEvent({
      method: 'post',
      path: '/approvals/a-1/decision?dryRun=true',
      headers: { Authorization: 'Bearer x' },
      body: { decision: 'approve' },
    });

    // Assert
    expect({
      rawPath: event.rawPath,
      query: event.queryStringParameters,
      method: event.requestContext.http.method,
      authorization: event.headers['authorization'],
      contentType: event.headers['content-type'],
      body: event.body,
    }).toStrictEqual({
      rawPath: '/approvals/a-1/decision',
      query: { dryRun: 'true' },
      method: 'POST',
      authorization: 'Bearer x',
      contentType: 'application/json',
      body: '{"decision":"approve"}',
    });
  });
});

describe('samples and fixtures', () => {
  it('loads a sample put-events entry as the event the rule delivers', () => {
    // Act
    const event = loadSampleEvent('order-needs-approval', 'evt-9');

    // Assert
    expect({ id: event.id, type: event['detail-type'], source: event.source }).toStrictEqual({
      id: 'evt-9',
      type: 'OrderSubmitted',
      source: 'com.example.orders',
    });
    expect(event.detail).toMatchObject({ orderId: 'ord-2001' });
  });

  it('returns a fresh copy of a JSON fixture on every call', () => {
    // Arrange
    const first = loadJsonFixture('order-submitted-event') as { id: string };
    first.id = 'changed';

    // Act
    const second = loadJsonFixture('order-submitted-event') as { id: string };

    // Assert
    expect(second.id).toBe('0d4c3c9e-5b1a-4f0e-9a8e-2f6f3c1b7a10');
  });

  it('fails when a fixture does not exist', () => {
    // Act & Assert
    expect(() => loadJsonFixture('no-such-fixture')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('captureOutput', () => {
  it('returns the JSON lines written to stdout and stderr while the function ran, and restores both', async () => {
    // Arrange
    const originalWrite = process.stdout.write;

    // Act
    const lines = await captureOutput(() => {
      process.stdout.write('{"level":"INFO"}\nplain text\n');
      process.stderr.write('{"level":"ERROR"}\n');
    });

    // Assert
    expect(parseJsonLines(lines)).toStrictEqual([{ level: 'INFO' }, { level: 'ERROR' }]);
    expect(process.stdout.write).toBe(originalWrite);
  });
});
