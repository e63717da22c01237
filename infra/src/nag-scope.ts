import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * The narrowest construct to acknowledge an IAM finding on: the role's `DefaultPolicy` (the policy the grants
 * wrote). Throws when the role has no grants yet, so an acknowledgement cannot silently land on nothing.
 */
export const defaultPolicyOf = (role: iam.IRole): IConstruct => {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy === undefined) {
    throw new Error(
      `${role.node.path} has no DefaultPolicy yet: acknowledge its IAM findings after the grants.`,
    );
  }
  return policy;
};

/** The L1 resource of an L2 construct (what cdk-nag reports a finding on). */
export const cfnResourceOf = (construct: IConstruct): IConstruct => construct.node.defaultChild ?? construct;
