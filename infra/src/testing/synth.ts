import { Template } from 'aws-cdk-lib/assertions';
import type { TaskServiceStack } from '../stacks/task-service-stack';
import { buildApp, type FlowStacks } from '../build-app';
import { synthesizedStateMachine, type SynthesizedStateMachine, type TemplateJson } from '../workflow/asl';
import { WORKFLOW_STATE_MACHINE_NAME } from '@flow/contracts';

/** The whole app, synthesized without asset bundling (no esbuild run) and without cdk-nag's plugin. */
export interface SynthesizedApp {
  readonly stacks: FlowStacks;
  /** The stacks of the services in `registeredTaskServices`, in registry order. */
  readonly taskServices: readonly TaskServiceStack[];
  readonly template: (stack: keyof FlowStacks) => Template;
  readonly json: (stack: keyof FlowStacks) => TemplateJson;
  readonly workflow: SynthesizedStateMachine;
}

/** Builds the app once for a test file (`beforeAll`); `context` adds CDK context values. */
export const synthesizeApp = (context: Record<string, unknown> = {}): SynthesizedApp => {
  const { stacks, taskServices } = buildApp({
    nag: false,
    // cfn-lint checks the templates in its own test; the built-in CloudFormation validation doubles synth time.
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], ...context },
  });
  const templates = new Map<keyof FlowStacks, Template>();
  const template = (stack: keyof FlowStacks): Template => {
    const known = templates.get(stack);
    if (known !== undefined) return known;
    const created = Template.fromStack(stacks[stack]);
    templates.set(stack, created);
    return created;
  };
  return {
    stacks,
    taskServices,
    template,
    json: (stack) => template(stack).toJSON() as TemplateJson,
    workflow: synthesizedStateMachine(stacks.workflow, WORKFLOW_STATE_MACHINE_NAME),
  };
};
