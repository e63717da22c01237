import type { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, type NagPackProps, rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag rules that matter for this app but that neither the AwsSolutions nor the Serverless pack applies.
 * Finding ids are `Flow-<RuleName>`; acknowledge them like any other, with a reason.
 */
export class FlowChecks extends NagPack {
  public readonly name = 'Flow';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Flow';
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      info: 'The Lambda function URL allows anyone to call the function (auth type NONE).',
      explanation:
        'A function URL without IAM auth is public: the function itself must authenticate and authorize every request.',
      level: NagMessageLevel.ERROR,
      rule: rules.lambda.LambdaFunctionUrlAuth,
      node,
    });
  }
}
