import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FlowChecks } from './flow-checks';

const stackWithUrl = (authType: lambda.FunctionUrlAuthType): Stack => {
  const stack = new Stack(new App(), 'Test');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  fn.addFunctionUrl({ authType });
  return stack;
};

describe('FlowChecks', () => {
  it('fails when a function URL has auth type NONE', () => {
    // Arrange
    const stack = stackWithUrl(lambda.FunctionUrlAuthType.NONE);

    // Act
    const report = new FlowChecks().validateScope(stack);

    // Assert
    expect(report.violations.map((violation) => violation.ruleName)).toStrictEqual([
      'Flow-LambdaFunctionUrlAuth',
    ]);
  });

  it('passes a function URL with IAM auth', () => {
    // Arrange
    const stack = stackWithUrl(lambda.FunctionUrlAuthType.AWS_IAM);

    // Act
    const report = new FlowChecks().validateScope(stack);

    // Assert
    expect(report).toStrictEqual({ success: true, violations: [] });
  });
});
