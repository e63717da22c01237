import { EventBridgeError } from './errors';
import { renderInputTemplate, targetInput, validateTargetInput } from './input-transform';
import { type EventEnvelope } from './types';

const event: EventEnvelope = {
  version: '0',
  id: 'e-1',
  'detail-type': 'OrderSubmitted',
  source: 'flow.orders',
  account: '000000000000',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:000000000000:instance/i-1'],
  detail: {
    orderId: 'o-1',
    amount: 150,
    items: [{ sku: 'A' }],
    quote: 'say "hi"',
    customer: { tier: 'gold' },
  },
};
const context = {
  ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
  ruleName: 'r',
  ingestionTime: '2026-01-01T00:00:01Z',
};

describe('targetInput', () => {
  it('delivers the whole event when no input is configured', () => {
    // Arrange / Act
    const input = targetInput({}, event, context);
    // Assert
    expect(JSON.parse(input)).toStrictEqual(event);
  });

  it('delivers a constant Input as it is', () => {
    // Arrange / Act / Assert
    expect(targetInput({ Input: '{"fixed":true}' }, event, context)).toBe('{"fixed":true}');
  });

  it('delivers the value at InputPath as JSON', () => {
    // Arrange / Act / Assert
    expect(targetInput({ InputPath: '$.detail' }, event, context)).toBe(JSON.stringify(event.detail));
    expect(targetInput({ InputPath: '$.detail.items[0].sku' }, event, context)).toBe('"A"');
    expect(targetInput({ InputPath: "$['detail-type']" }, event, context)).toBe('"OrderSubmitted"');
  });

  it('renders a JSON InputTemplate: quoted placeholders as text, bare ones as JSON', () => {
    // Arrange
    const transformer = {
      InputPathsMap: {
        order: '$.detail.orderId',
        amount: '$.detail.amount',
        customer: '$.detail.customer',
        quote: '$.detail.quote',
      },
      InputTemplate:
        '{"id": "<order>", "amount": <amount>, "customer": <customer>, "label": "order <order> (<amount>)", "q": "<quote>"}',
    };
    // Act
    const input = targetInput({ InputTransformer: transformer }, event, context);
    // Assert
    expect(JSON.parse(input)).toStrictEqual({
      id: 'o-1',
      amount: 150,
      customer: { tier: 'gold' },
      label: 'order o-1 (150)',
      q: 'say "hi"',
    });
  });

  it('renders a string InputTemplate as EventBridge does', () => {
    // Arrange
    const transformer = {
      InputPathsMap: { order: '$.detail.orderId' },
      InputTemplate: '"Order <order> was submitted"',
    };
    // Act / Assert
    expect(targetInput({ InputTransformer: transformer }, event, context)).toBe('"Order o-1 was submitted"');
  });

  it('provides the predefined aws.events variables', () => {
    // Arrange
    const transformer = {
      InputTemplate:
        '{"rule": "<aws.events.rule-name>", "arn": "<aws.events.rule-arn>", "at": "<aws.events.event.ingestion-time>", "event": <aws.events.event>, "full": <aws.events.event.json>}',
    };
    // Act
    const input = JSON.parse(targetInput({ InputTransformer: transformer }, event, context)) as Record<
      string,
      unknown
    >;
    // Assert
    const { detail: _detail, ...withoutDetail } = event;
    expect(input).toStrictEqual({
      rule: 'r',
      arn: context.ruleArn,
      at: context.ingestionTime,
      event: withoutDetail,
      full: event,
    });
  });

  it('renders a missing path as null outside quotes and as nothing inside', () => {
    // Arrange
    const transformer = {
      InputPathsMap: { gone: '$.detail.nothing' },
      InputTemplate: '{"a": <gone>, "b": "x<gone>y"}',
    };
    // Act / Assert
    expect(JSON.parse(targetInput({ InputTransformer: transformer }, event, context))).toStrictEqual({
      a: null,
      b: 'xy',
    });
  });
});

describe('renderInputTemplate', () => {
  it('leaves unknown placeholders and escaped quotes alone', () => {
    // Arrange
    const variables = new Map<string, unknown>([['a', 'A']]);
    // Act / Assert
    expect(renderInputTemplate('{"x": "\\"<a>\\" <b>"}', variables)).toBe('{"x": "\\"A\\" <b>"}');
  });
});

describe('validateTargetInput', () => {
  it.each<[string, object, string]>([
    [
      'two input kinds',
      { Input: '{}', InputPath: '$.detail' },
      'Only one of Input, InputPath, or InputTransformer must be provided.',
    ],
    ['a constant input that is not JSON', { Input: 'nope' }, 'Input is not valid JSON text.'],
    [
      'an InputPath without $',
      { InputPath: 'detail' },
      'InputPath is not a valid JSON path: Invalid JSONPath detail: must start with $',
    ],
    [
      'a reserved InputPathsMap key',
      { InputTransformer: { InputPathsMap: { 'aws.events.x': '$' }, InputTemplate: '""' } },
      'InputPathsMap key aws.events.x is reserved (aws.events.*).',
    ],
  ])('fails with %s', (_name, target, message) => {
    // Arrange / Act
    const validate = (): void => validateTargetInput(target);
    // Assert
    expect(validate).toThrow(EventBridgeError);
    expect(validate).toThrow(message);
  });
});
