import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/**
 * Publishes a value another stack needs (a function ARN, a table name, a queue ARN) as an SSM String parameter
 * with a stable name from `@flow/contracts`. Readers resolve it at deploy time with
 * `ssm.StringParameter.valueForStringParameter`, so no stack holds a CloudFormation export that locks another.
 */
export class PublishedParameter extends Construct {
  /** The parameter. */
  public readonly parameter: ssm.StringParameter;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly parameterName: string; readonly value: string; readonly description: string },
  ) {
    super(scope, id);
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: props.parameterName,
      stringValue: props.value,
      description: props.description,
      tier: ssm.ParameterTier.STANDARD,
    });
  }
}
