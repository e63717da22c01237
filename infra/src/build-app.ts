import { App, type AppProps, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readSettings, StackNames } from './config';
import { FlowChecks } from './flow-checks';
import { MessagingStack } from './stacks/messaging-stack';
import {
  ApprovalApiStack,
  ApprovalDispatcherStack,
  ProcessOrderStack,
  ReserveInventoryStack,
  ScoreRiskStack,
} from './stacks/service-stacks';
import type { TaskServiceStack } from './stacks/task-service-stack';
import { registeredTaskServices } from './stacks/task-service-registry';
import { WorkflowStack } from './stacks/workflow-stack';

/** The stacks of the app, by role. */
export interface FlowStacks {
  readonly messaging: MessagingStack;
  readonly processOrder: ProcessOrderStack;
  readonly reserveInventory: ReserveInventoryStack;
  readonly scoreRisk: ScoreRiskStack;
  readonly approvalDispatcher: ApprovalDispatcherStack;
  readonly approvalApi: ApprovalApiStack;
  readonly workflow: WorkflowStack;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions extends AppProps {
  /**
   * Register cdk-nag's AwsSolutions and Serverless packs and the app's own {@link FlowChecks} as validation
   * plugins (synth then fails on unacknowledged findings).
   *
   * @default true
   */
  readonly nag?: boolean;
  /**
   * The AWS environment of every stack.
   *
   * @default - environment-agnostic stacks (`CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION` when set)
   */
  readonly env?: Environment;
}

const defaultEnv = (): Environment | undefined => {
  const account = process.env['CDK_DEFAULT_ACCOUNT'];
  const region = process.env['CDK_DEFAULT_REGION'];
  return account !== undefined && region !== undefined ? { account, region } : undefined;
};

/**
 * Builds the CDK app: the messaging stack, one stack per service under `apps/` (the reference services by name, the
 * rest from `registeredTaskServices`), and the workflow stack.
 * cdk-nag's AwsSolutions and Serverless checks run on every synth.
 * No stack references another's resources (SSM parameters and stable names only), so there are no
 * cross-stack dependencies and any one of them deploys alone.
 */
export const buildApp = (
  options: BuildAppOptions = {},
): { app: App; stacks: FlowStacks; taskServices: readonly TaskServiceStack[] } => {
  const { nag = true, env = defaultEnv(), ...appProps } = options;
  const app = new App(appProps);
  const settings = readSettings(app.node);
  const stackProps = env === undefined ? {} : { env };
  const stacks: FlowStacks = {
    messaging: new MessagingStack(app, StackNames.Messaging, stackProps),
    processOrder: new ProcessOrderStack(app, StackNames.ProcessOrder, stackProps),
    reserveInventory: new ReserveInventoryStack(app, StackNames.ReserveInventory, stackProps),
    scoreRisk: new ScoreRiskStack(app, StackNames.ScoreRisk, stackProps),
    approvalDispatcher: new ApprovalDispatcherStack(app, StackNames.ApprovalDispatcher, stackProps),
    approvalApi: new ApprovalApiStack(app, StackNames.ApprovalApi, { ...stackProps, settings }),
    workflow: new WorkflowStack(app, StackNames.Workflow, { ...stackProps, settings }),
  };
  const taskServices = registeredTaskServices.map(
    ({ stackName, stack }) => new stack(app, stackName, stackProps),
  );
  if (nag) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new ServerlessChecks(app),
      new FlowChecks(app),
    );
  }
  return { app, stacks, taskServices };
};
