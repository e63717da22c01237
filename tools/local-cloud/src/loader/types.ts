/**
 * The local picture: every resource of a synthesized CDK app that the local cloud runs, with every
 * CloudFormation intrinsic already resolved to local names, ARNs and URLs.
 *
 * Shapes mirror the AWS API inputs of the service that owns each resource (PascalCase where they are handed
 * on unchanged to that service, e.g. queue attributes, rule targets, table key schemas).
 */

/** A JSON value (what a template holds after resolution). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Where a resource came from: the stack (its CloudFormation stack name) and its logical id. */
export interface ResourceOrigin {
  stackName: string;
  logicalId: string;
}

/** A Lambda function (AWS::Lambda::Function). */
export interface FunctionSpec extends ResourceOrigin {
  functionName: string;
  functionArn: string;
  /** Repository-relative handler source (the `flow:entry` Metadata); absent for functions the local cloud cannot run. */
  entry?: string;
  /** The exported handler name (the `flow:handler` Metadata, else the part of `Handler` after the last dot). */
  handlerExport: string;
  /** The template's `Handler` property, e.g. `index.handler`. */
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memorySize: number;
  /** `ReservedConcurrentExecutions`, when set. */
  reservedConcurrency?: number;
  /** The resolved `Environment.Variables`. */
  environment: Record<string, string>;
  /** Tracing mode (`Active` / `PassThrough`). */
  tracingMode?: string;
}

/** An SQS queue (AWS::SQS::Queue). `attributes` are CreateQueue attributes (strings), RedrivePolicy resolved. */
export interface QueueSpec extends ResourceOrigin {
  queueName: string;
  queueUrl: string;
  queueArn: string;
  fifo: boolean;
  attributes: Record<string, string>;
}

/** A state machine (AWS::StepFunctions::StateMachine), its definition fully resolved to JSON text. */
export interface StateMachineSpec extends ResourceOrigin {
  name: string;
  stateMachineArn: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: string;
  roleArn?: string;
  loggingConfiguration?: Json;
  tracingEnabled: boolean;
}

/** An EventBridge bus (AWS::Events::EventBus); the `default` bus is always present. */
export interface EventBusSpec extends Partial<ResourceOrigin> {
  name: string;
  arn: string;
}

/** A rule target as EventBridge's PutTargets takes it. */
export interface RuleTargetSpec {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  SqsParameters?: { MessageGroupId?: string };
}

/** An EventBridge rule (AWS::Events::Rule) with its targets. */
export interface RuleSpec extends ResourceOrigin {
  name: string;
  arn: string;
  eventBusName: string;
  /** The event pattern as JSON text (absent for schedule rules). */
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  targets: RuleTargetSpec[];
}

/** An EventBridge archive (AWS::Events::Archive). */
export interface ArchiveSpec extends ResourceOrigin {
  archiveName: string;
  arn: string;
  /** ARN of the bus the archive records. */
  eventSourceArn: string;
  eventBusName: string;
  eventPattern?: string;
  retentionDays?: number;
  description?: string;
}

/** A DynamoDB table (AWS::DynamoDB::Table / GlobalTable) as CreateTable takes it. */
export interface TableSpec extends ResourceOrigin {
  tableName: string;
  tableArn: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  BillingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexes?: SecondaryIndexSpec[];
  LocalSecondaryIndexes?: SecondaryIndexSpec[];
  /** TTL attribute (dynalite does not expire items; recorded for the console). */
  timeToLiveAttribute?: string;
}

/** A GSI/LSI as CreateTable takes it. */
export interface SecondaryIndexSpec {
  IndexName: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  Projection: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

/** An SSM parameter (AWS::SSM::Parameter). */
export interface SsmParameterSpec extends ResourceOrigin {
  name: string;
  value: string;
  type: string;
}

/** An SQS → Lambda event source mapping (AWS::Lambda::EventSourceMapping). */
export interface EventSourceMappingSpec extends ResourceOrigin {
  uuid: string;
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
  maximumConcurrency?: number;
}

/** A Lambda function URL (AWS::Lambda::Url). */
export interface FunctionUrlSpec extends ResourceOrigin {
  functionName: string;
  url: string;
  authType: string;
  cors?: Json;
}

/** The resolved local picture of a whole cloud assembly. */
export interface LocalPicture {
  accountId: string;
  region: string;
  /** Stack names, in assembly order. */
  stacks: string[];
  functions: FunctionSpec[];
  queues: QueueSpec[];
  stateMachines: StateMachineSpec[];
  buses: EventBusSpec[];
  rules: RuleSpec[];
  archives: ArchiveSpec[];
  tables: TableSpec[];
  parameters: SsmParameterSpec[];
  eventSourceMappings: EventSourceMappingSpec[];
  functionUrls: FunctionUrlSpec[];
  /** Things that could not be resolved exactly (unknown attributes, unsupported resources): never fatal. */
  warnings: string[];
}

/** A CloudFormation template as synthesized. */
export interface CfnTemplate {
  Parameters?: Record<string, { Type?: string; Default?: Json }>;
  Conditions?: Record<string, Json>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value?: Json; Export?: { Name?: Json } }>;
}

/** One resource of a template. */
export interface CfnResource {
  Type: string;
  Properties?: JsonObject;
  Metadata?: JsonObject;
  Condition?: string;
}

/** A stack as read from the cloud assembly. */
export interface StackTemplate {
  stackName: string;
  template: CfnTemplate;
}
