import { App, Fn, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { nagResourceText, renderIntrinsics } from './intrinsics';

const dollar = (id: string, attribute?: string): string =>
  attribute === undefined ? `\${${id}}` : `\${${id}.${attribute}}`;

describe('renderIntrinsics', () => {
  it('renders Ref, Fn::GetAtt and Fn::Join inside nested values and leaves the rest alone', () => {
    // Arrange
    const value = {
      Arn: {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':sqs:::', { 'Fn::GetAtt': ['Queue', 'QueueName'] }],
        ],
      },
      List: [{ Ref: 'Param' }, 3, true, null],
      Plain: { Nested: 'text' },
    };

    // Act
    const rendered = renderIntrinsics(value, dollar);

    // Assert
    expect(rendered).toStrictEqual({
      Arn: 'arn:${AWS::Partition}:sqs:::${Queue.QueueName}',
      List: ['${Param}', 3, true, null],
      Plain: { Nested: 'text' },
    });
  });

  it('fails when an intrinsic cannot be rendered readably', () => {
    // Arrange
    const value = { 'Fn::Select': [0, ['a', 'b']] };

    // Act / Assert
    expect(() => renderIntrinsics(value, dollar)).toThrow(
      'renderIntrinsics: cannot render Fn::Select readably: {"Fn::Select":[0,["a","b"]]}',
    );
  });
});

describe('nagResourceText', () => {
  it('writes a token the way cdk-nag names resources in finding ids', () => {
    // Arrange
    const stack = new Stack(new App(), 'Stack');
    const queue = new sqs.Queue(stack, 'Queue');
    const logicalId = stack.getLogicalId(queue.node.defaultChild as sqs.CfnQueue);

    // Act
    const text = nagResourceText(stack, Fn.join('', [queue.queueArn, '/*']));

    // Assert
    expect(text).toBe(`<${logicalId}.Arn>/*`);
  });
});
