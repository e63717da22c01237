import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type ReferenceFormatter, renderIntrinsics } from '../intrinsics';

/** An Amazon States Language definition (the parts the checks read; everything else passes through). */
export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly TimeoutSeconds?: number;
  readonly QueryLanguage?: string;
  readonly Comment?: string;
}

/** One state of an {@link AslDefinition}. */
export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly HeartbeatSeconds?: number;
  readonly HeartbeatSecondsPath?: string;
  readonly Retry?: readonly AslRetrier[];
  readonly Catch?: readonly AslCatcher[];
  readonly Choices?: readonly { readonly Next: string }[];
  readonly Default?: string;
  readonly Branches?: readonly AslDefinition[];
  readonly ItemProcessor?: AslDefinition;
  readonly Iterator?: AslDefinition;
  readonly [field: string]: unknown;
}

/** A Retry entry. */
export interface AslRetrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: string;
}

/** A Catch entry. */
export interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

/** A state machine as synthesized: its type and its definition with intrinsics rendered. */
export interface SynthesizedStateMachine {
  readonly logicalId: string;
  readonly name: string | undefined;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly definition: AslDefinition;
}

/** A synthesized CloudFormation template (the parts read here). */
export type TemplateJson = {
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Resources?: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
};

/**
 * Writes references as `${AWS::Partition}`, `${LogicalId}`, `${LogicalId.Attribute}`, and an SSM parameter value
 * (a template parameter of type `AWS::SSM::Parameter::Value<…>`) as `${ssm:/parameter/name}`.
 */
export const readableReferences =
  (template: TemplateJson): ReferenceFormatter =>
  (id, attribute) => {
    const parameter = template.Parameters?.[id];
    if (attribute === undefined && parameter?.Type?.startsWith('AWS::SSM::Parameter::Value') === true) {
      return `\${ssm:${String(parameter.Default)}}`;
    }
    return attribute === undefined ? `\${${id}}` : `\${${id}.${attribute}}`;
  };

/**
 * Reads every `AWS::StepFunctions::StateMachine` of a synthesized template and parses its `DefinitionString`
 * with the references written readably: `${AWS::Partition}`, `${LogicalId}`, `${LogicalId.Arn}`, and
 * `${ssm:/parameter/name}` for an SSM parameter value resolved at deploy time. This is the form kept in git
 * under `infra/asl/` (so a diff reads like the workflow) and checked by the definition checks.
 */
export const synthesizedStateMachines = (template: TemplateJson): SynthesizedStateMachine[] => {
  const format = readableReferences(template);
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, resource]) => {
      const properties = resource.Properties ?? {};
      const text = renderIntrinsics(properties['DefinitionString'], format);
      if (typeof text !== 'string') {
        throw new Error(
          `State machine ${logicalId} has no DefinitionString (DefinitionS3Location is not supported).`,
        );
      }
      const type = properties['StateMachineType'] === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
      const name =
        typeof properties['StateMachineName'] === 'string' ? properties['StateMachineName'] : undefined;
      return { logicalId, name, type, definition: JSON.parse(text) as AslDefinition };
    });
};

/** The synthesized state machine named `name` in `stack` (throws naming what exists when it is not there). */
export const synthesizedStateMachine = (stack: Stack, name: string): SynthesizedStateMachine => {
  const machines = synthesizedStateMachines(Template.fromStack(stack).toJSON() as TemplateJson);
  const machine = machines.find((candidate) => candidate.name === name);
  if (machine === undefined) {
    throw new Error(
      `No state machine named ${name} in ${stack.stackName}; found: ${machines.map((m) => m.name ?? m.logicalId).join(', ') || 'none'}.`,
    );
  }
  return machine;
};

/** The committed form of a definition: 2-space JSON with a final newline. */
export const formatAsl = (definition: AslDefinition): string => `${JSON.stringify(definition, null, 2)}\n`;
