import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** How a reference is written: `logicalId` is the Ref'd name (`AWS::Partition`, a resource, a parameter). */
export type ReferenceFormatter = (logicalId: string, attribute?: string) => string;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Renders the CloudFormation intrinsics `Ref`, `Fn::GetAtt` and `Fn::Join` in a resolved value as text, with
 * each reference written by `format`; every other value is copied as is. Throws on an intrinsic it cannot
 * render readably (e.g. `Fn::Select`), so a change that introduces one is noticed.
 *
 * @example
 * renderIntrinsics({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }]] }, (id) => `\${${id}}`); // 'arn:${AWS::Partition}'
 */
export const renderIntrinsics = (value: unknown, format: ReferenceFormatter): unknown => {
  if (Array.isArray(value)) return value.map((item) => renderIntrinsics(item, format));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const argument = value[key as string];
    if (key === 'Ref' && typeof argument === 'string') return format(argument);
    if (key === 'Fn::GetAtt' && Array.isArray(argument) && argument.length === 2) {
      return format(String(argument[0]), String(argument[1]));
    }
    if (key === 'Fn::Join' && Array.isArray(argument) && argument.length === 2) {
      const [separator, parts] = argument as [unknown, unknown];
      if (typeof separator === 'string' && Array.isArray(parts)) {
        return parts.map((part) => String(renderIntrinsics(part, format))).join(separator);
      }
    }
    if (key !== undefined && (key.startsWith('Fn::') || key === 'Ref')) {
      throw new Error(`renderIntrinsics: cannot render ${key} readably: ${JSON.stringify(value)}`);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderIntrinsics(v, format)]));
};

/**
 * The text cdk-nag uses for a resource in a finding id (`AwsSolutions-IAM5[Resource::<text>]`): `<LogicalId>`
 * for a Ref, `<LogicalId.Attribute>` for a GetAtt. Lets an acknowledgement name the exact resource instead of
 * a hard-coded logical id.
 */
export const nagResourceText = (scope: IConstruct, token: string): string =>
  String(
    renderIntrinsics(Stack.of(scope).resolve(token), (id, attribute) =>
      attribute === undefined ? `<${id}>` : `<${id}.${attribute}>`,
    ),
  );
