import {
  DescribeRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  ResourceNotFoundException,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { EventBridgeService } from '../events';
import { startHttpServer, type RunningHttpServer } from '../server/http-server';
import { jsonProtocolRoute } from '../server/json-route';
import { eventsService } from './events';

/** EventBridge over awsJson1_1, over the real EventBridgeService, driven by the AWS SDK v3. */

let server: RunningHttpServer;
let events: EventBridgeService;
let client: EventBridgeClient;

beforeAll(async () => {
  server = await startHttpServer({ port: 0 });
  events = await EventBridgeService.open();
  server.setRoutes([jsonProtocolRoute([eventsService(events)])]);
  client = new EventBridgeClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
  await events.close();
});

describe('EventBridge over awsJson1_1 with the AWS SDK v3', () => {
  it('puts a rule, describes and lists it, and accepts events', async () => {
    // Act
    const { RuleArn } = await client.send(
      new PutRuleCommand({
        Name: 'orders-rule',
        EventPattern: JSON.stringify({ source: ['com.example.orders'] }),
      }),
    );
    const described = await client.send(new DescribeRuleCommand({ Name: 'orders-rule' }));
    const listed = await client.send(new ListRulesCommand({ NamePrefix: 'orders' }));
    const put = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'com.example.orders', DetailType: 'OrderSubmitted', Detail: '{"orderId":"o-1"}' },
        ],
      }),
    );

    // Assert
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/orders-rule');
    expect(described).toMatchObject({ Name: 'orders-rule', State: 'ENABLED', EventBusName: 'default' });
    expect(listed.Rules?.map((r) => r.Name)).toStrictEqual(['orders-rule']);
    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('tests an event pattern as TestEventPattern does', async () => {
    // Arrange
    const event = JSON.stringify({
      id: '1',
      account: '000000000000',
      source: 'com.example.orders',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      'detail-type': 'OrderSubmitted',
      detail: { amount: 1500 },
    });

    // Act
    const matches = await client.send(
      new TestEventPatternCommand({
        EventPattern: '{"detail":{"amount":[{"numeric":[">",1000]}]}}',
        Event: event,
      }),
    );
    const misses = await client.send(
      new TestEventPatternCommand({
        EventPattern: '{"detail":{"amount":[{"numeric":["<",1000]}]}}',
        Event: event,
      }),
    );

    // Assert
    expect(matches.Result).toBe(true);
    expect(misses.Result).toBe(false);
  });

  it('fails when the rule does not exist, as ResourceNotFoundException', async () => {
    // Act
    const error: unknown = await client
      .send(new DescribeRuleCommand({ Name: 'missing' }))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(400);
  });

  it('fails when the pattern is invalid, as InvalidEventPatternException', async () => {
    // Act
    const error: unknown = await client
      .send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":"not-an-array"}' }))
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(InvalidEventPatternException);
  });

  it('fails when the operation is unknown, with the bare error code of awsJson1_1', async () => {
    // Act
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.Teleport' },
      body: '{}',
    });

    // Assert
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toStrictEqual({
      __type: 'UnknownOperationException',
      message: 'Unknown operation Teleport',
    });
  });
});
