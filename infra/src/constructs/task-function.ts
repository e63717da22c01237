import * as path from 'node:path';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LocalCloudMetadata } from '@flow/contracts';
import { REPO_ROOT } from '../repo-root';
import { defaultPolicyOf } from '../nag-scope';

/** Properties of a {@link TaskFunction}. */
export interface TaskFunctionProps {
  /** The service's Nx project name (`apps/<service>`); also its Powertools service name. */
  readonly service: string;
  /**
   * The handler's TypeScript entry, relative to the repository root.
   *
   * @default - `apps/<service>/src/handler.ts`
   */
  readonly entry?: string;
  /**
   * The exported handler function's name.
   *
   * @default 'handler'
   */
  readonly handler?: string;
  /** How long one invocation may run (explicit: the Lambda default of 3 s is a trap). */
  readonly timeout: Duration;
  /** Memory in MiB (explicit: also sets the CPU share). */
  readonly memorySize: number;
  /**
   * Extra environment variables, merged over the Powertools defaults (these win on a clash).
   *
   * @default - the Powertools variables only
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The CloudWatch metrics namespace of the service's Powertools Metrics.
   *
   * @default 'ComplexWorkflow'
   */
  readonly metricsNamespace?: string;
  /**
   * The Powertools log level.
   *
   * @default 'INFO'
   */
  readonly logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';
  /**
   * Where asynchronous invocations (EventBridge targets) that failed after Lambda's own retries go.
   *
   * @default - none: the function is invoked synchronously only (Step Functions, a function URL, an SQS event
   *   source mapping), where a failure goes back to the caller and a Lambda DLQ would never receive anything
   */
  readonly asyncDeadLetterQueue?: sqs.IQueue;
  /**
   * How long the function's log group keeps log events.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The defaults every task service gets unless its stack says otherwise. */
export const TASK_FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  metricsNamespace: 'ComplexWorkflow',
  logLevel: 'INFO',
  logRetention: logs.RetentionDays.ONE_MONTH,
} as const;

/**
 * A Lambda function for one task service under `apps/`, built the same way for every service:
 * esbuild bundle (local esbuild, CommonJS, source maps, AWS SDK v3 left to the runtime), Node.js 22,
 * X-Ray tracing ACTIVE, its own log group with a retention, the Powertools environment, an explicit timeout and
 * memory, and an execution role with no managed policies (it may write to its own log group only).
 *
 * It also writes CloudFormation resource Metadata `flow:entry` (the repository-relative handler entry) and
 * `flow:handler` (the exported name) on the `AWS::Lambda::Function`, which is how the local cloud finds the
 * handler source of a synthesized function.
 *
 * @example
 * new TaskFunction(this, 'Function', { service: 'score-risk', timeout: Duration.seconds(10), memorySize: 256 });
 */
export class TaskFunction extends Construct {
  /** The function. */
  public readonly function: NodejsFunction;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** The repository-relative handler entry (what `flow:entry` says). */
  public readonly entry: string;

  constructor(scope: Construct, id: string, props: TaskFunctionProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.service)) {
      throw new Error(
        `TaskFunction: service must be an Nx project name in kebab-case (e.g. 'process-order'), got '${props.service}'.`,
      );
    }
    if (props.timeout.toSeconds() < 1 || props.timeout.toSeconds() > 900) {
      throw new Error(
        `TaskFunction ${props.service}: timeout must be between 1 and 900 seconds, got ${props.timeout.toSeconds()}.`,
      );
    }
    if (!Number.isInteger(props.memorySize) || props.memorySize < 128 || props.memorySize > 10240) {
      throw new Error(
        `TaskFunction ${props.service}: memorySize must be an integer between 128 and 10240 MiB, got ${props.memorySize}.`,
      );
    }
    this.entry = props.entry ?? `apps/${props.service}/src/handler.ts`;
    if (path.isAbsolute(this.entry) || this.entry.split('/').includes('..')) {
      throw new Error(
        `TaskFunction ${props.service}: entry must be relative to the repository root (e.g. 'apps/${props.service}/src/handler.ts'), got '${this.entry}'.`,
      );
    }
    const handler = props.handler ?? 'handler';

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? TASK_FUNCTION_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.service} task service`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, this.entry),
      handler,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: TASK_FUNCTION_DEFAULTS.runtime,
      architecture: TASK_FUNCTION_DEFAULTS.architecture,
      tracing: lambda.Tracing.ACTIVE,
      timeout: props.timeout,
      memorySize: props.memorySize,
      logGroup: this.logGroup,
      role: this.role,
      description: `${props.service} task service (${this.entry})`,
      ...(props.asyncDeadLetterQueue === undefined ? {} : { deadLetterQueue: props.asyncDeadLetterQueue }),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? TASK_FUNCTION_DEFAULTS.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? TASK_FUNCTION_DEFAULTS.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node22',
        minify: true,
        sourceMap: true,
        externalModules: ['@aws-sdk/*'],
        tsconfig: path.join(REPO_ROOT, 'tsconfig.base.json'),
        forceDockerBundling: false,
      },
    });

    const cfnFunction = this.function.node.defaultChild as lambda.CfnFunction;
    cfnFunction.addMetadata(LocalCloudMetadata.Entry, this.entry);
    cfnFunction.addMetadata(LocalCloudMetadata.Handler, handler);

    // The execution role's only wildcard: X-Ray's write actions have no resource-level permissions.
    Validations.of(defaultPolicyOf(this.role)).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (Tracing.ACTIVE) needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support only Resource "*".',
    });
    const pinnedRuntime = `Pinned to ${TASK_FUNCTION_DEFAULTS.runtime.name} on purpose: the project builds and tests for Node 20/22/24 and moves the runtime in a reviewed change, not when aws-cdk-lib adds a newer one.`;
    Validations.of(cfnFunction).acknowledge(
      { id: 'AwsSolutions-L1', reason: pinnedRuntime },
      { id: 'Serverless-LambdaLatestVersion', reason: pinnedRuntime },
    );
    if (props.asyncDeadLetterQueue === undefined) {
      Validations.of(cfnFunction).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: `${props.service} is invoked synchronously only (Step Functions LambdaInvoke, a function URL or an SQS event source mapping): failures return to the caller (Retry/Catch, an HTTP status, the queue's redrive to its DLQ), so a Lambda DLQ would never receive anything.`,
      });
    }
  }

  /** Merge more environment variables (for values known only after construction, e.g. a table's name). */
  public addEnvironment(key: string, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }
}
