import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { serviceFunctionArnParameter, type ServiceName } from '@flow/contracts';
import { ServiceSizing } from '../config';
import { PublishedParameter } from '../constructs/published-parameter';
import { TaskFunction, type TaskFunctionProps } from '../constructs/task-function';

/** Properties of a {@link TaskServiceStack}. */
export interface TaskServiceStackProps extends StackProps {
  /** The service (Nx project under `apps/`). */
  readonly service: ServiceName;
}

/**
 * Base of every service stack: one deployable unit per service under `apps/`. It creates the service's main
 * {@link TaskFunction} (sized from `ServiceSizing`) and publishes the function's ARN in the SSM parameter
 * `serviceFunctionArnParameter(service)`, which is how the workflow stack finds it.
 */
export class TaskServiceStack extends Stack {
  /** The service's main function. */
  public readonly taskFunction: TaskFunction;
  /** The service name. */
  public readonly service: ServiceName;

  constructor(
    scope: Construct,
    id: string,
    props: TaskServiceStackProps,
    functionProps: Partial<Omit<TaskFunctionProps, 'service'>> = {},
  ) {
    super(scope, id, props);
    this.service = props.service;
    this.taskFunction = new TaskFunction(this, 'Task', {
      ...ServiceSizing[props.service],
      ...functionProps,
      service: props.service,
    });
    new PublishedParameter(this, 'FunctionArn', {
      parameterName: serviceFunctionArnParameter(props.service),
      value: this.taskFunction.function.functionArn,
      description: `ARN of the ${props.service} task function (read by the workflow stack)`,
    });
  }
}
