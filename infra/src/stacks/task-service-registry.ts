import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TaskServiceStack } from './task-service-stack';

/** A task service's stack class: a {@link TaskServiceStack} that needs nothing but the standard stack props. */
export type TaskServiceStackClass = new (
  scope: Construct,
  id: string,
  props?: StackProps,
) => TaskServiceStack;

/** One task service that `buildApp` deploys from {@link registeredTaskServices}. */
export interface RegisteredTaskService {
  /** The stack's name and construct id (a `StackNames` entry, e.g. `FlowShipOrder`). */
  readonly stackName: string;
  /** The stack class. */
  readonly stack: TaskServiceStackClass;
}

/**
 * The task services `buildApp` creates a stack for, one entry each, in this order (after the reference services,
 * which `buildApp` names one by one). `nx g @flow/generators:service` adds an import and an entry here; the stack
 * publishes its function ARN through SSM like every other service, so the workflow can find it.
 */
export const registeredTaskServices: readonly RegisteredTaskService[] = [];
