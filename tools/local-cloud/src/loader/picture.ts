import { AssemblyResolver, type ResolverOptions, TemplateResolutionError } from './intrinsics';
import {
  type ArchiveSpec,
  type EventBusSpec,
  type EventSourceMappingSpec,
  type FunctionSpec,
  type FunctionUrlSpec,
  type Json,
  type JsonObject,
  type LocalPicture,
  type QueueSpec,
  type RuleSpec,
  type RuleTargetSpec,
  type SecondaryIndexSpec,
  type SsmParameterSpec,
  type StackTemplate,
  type StateMachineSpec,
  type TableSpec,
} from './types';

/** CFN Metadata keys the TaskFunction construct writes (the same strings as `LocalCloudMetadata` in contracts). */
const ENTRY_METADATA = 'flow:entry';
const HANDLER_METADATA = 'flow:handler';

/** Options of {@link buildPicture}. */
export type PictureOptions = ResolverOptions;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asNumber = (value: Json | undefined): number | undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
};

const asString = (value: Json | undefined): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

/** JSON text of a value that CFN accepts either as an object or as JSON text (event patterns, redrive policies). */
const asJsonText = (value: Json | undefined): string | undefined =>
  value === undefined || value === null
    ? undefined
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** Copies the defined entries of an object (drops `undefined`, for exactOptionalPropertyTypes). */
const defined = <T extends object>(value: { [K in keyof T]-?: T[K] | undefined }): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * Builds the {@link LocalPicture} of a cloud assembly's stacks: every function, queue, state machine, bus, rule,
 * archive, table, SSM parameter, event source mapping and function URL, with intrinsics resolved.
 */
export const buildPicture = (stacks: readonly StackTemplate[], options: PictureOptions): LocalPicture => {
  const resolver = new AssemblyResolver(stacks, options);
  const picture: LocalPicture = {
    accountId: options.accountId,
    region: options.region,
    stacks: resolver.stackNames(),
    functions: [],
    queues: [],
    stateMachines: [],
    buses: [
      { name: 'default', arn: `arn:aws:events:${options.region}:${options.accountId}:event-bus/default` },
    ],
    rules: [],
    archives: [],
    tables: [],
    parameters: [],
    eventSourceMappings: [],
    functionUrls: [],
    warnings: resolver.warnings,
  };
  for (const stackName of resolver.stackNames()) {
    for (const [logicalId, resource] of resolver.resources(stackName)) {
      const origin = { stackName, logicalId };
      const props: JsonObject = resource.Properties ?? {};
      const get = (key: string): Json | undefined => resolver.resolve(stackName, props[key]);
      try {
        switch (resource.Type) {
          case 'AWS::Lambda::Function':
            picture.functions.push(readFunction(resolver, origin, resource.Metadata ?? {}, get));
            break;
          case 'AWS::SQS::Queue':
            picture.queues.push(readQueue(resolver, origin, get));
            break;
          case 'AWS::StepFunctions::StateMachine':
            picture.stateMachines.push(readStateMachine(resolver, origin, get));
            break;
          case 'AWS::Events::EventBus':
            picture.buses.push(readBus(resolver, origin));
            break;
          case 'AWS::Events::Rule':
            picture.rules.push(readRule(resolver, origin, get));
            break;
          case 'AWS::Events::Archive':
            picture.archives.push(readArchive(resolver, origin, get));
            break;
          case 'AWS::DynamoDB::Table':
          case 'AWS::DynamoDB::GlobalTable':
            picture.tables.push(readTable(resolver, origin, get));
            break;
          case 'AWS::SSM::Parameter':
            picture.parameters.push(readParameter(resolver, origin, get));
            break;
          case 'AWS::Lambda::EventSourceMapping':
            picture.eventSourceMappings.push(readEventSourceMapping(resolver, origin, get));
            break;
          case 'AWS::Lambda::Url':
            picture.functionUrls.push(readFunctionUrl(resolver, origin, get));
            break;
          default:
            break;
        }
      } catch (error) {
        if (!(error instanceof TemplateResolutionError)) throw error;
        picture.warnings.push(`${stackName}/${logicalId} (${resource.Type}) skipped: ${error.message}`);
      }
    }
  }
  return picture;
};

type Origin = { stackName: string; logicalId: string };
type Getter = (key: string) => Json | undefined;

const readFunction = (
  resolver: AssemblyResolver,
  origin: Origin,
  metadata: JsonObject,
  get: Getter,
): FunctionSpec => {
  const functionName = resolver.physicalName(origin.stackName, origin.logicalId);
  const handler = asString(get('Handler')) ?? 'index.handler';
  const environment: Record<string, string> = {};
  const env = get('Environment');
  const variables = isObject(env) ? env['Variables'] : undefined;
  if (isObject(variables)) {
    for (const [key, value] of Object.entries(variables)) {
      environment[key] = asString(value) ?? JSON.stringify(value);
    }
  }
  const tracing = get('TracingConfig');
  const entry = asString(resolver.resolve(origin.stackName, metadata[ENTRY_METADATA]));
  const handlerExport =
    asString(resolver.resolve(origin.stackName, metadata[HANDLER_METADATA])) ??
    handler.slice(handler.lastIndexOf('.') + 1);
  return defined<FunctionSpec>({
    ...origin,
    functionName,
    functionArn: asString(resolver.getAtt(origin.stackName, origin.logicalId, 'Arn')) ?? '',
    entry,
    handlerExport,
    handler,
    runtime: asString(get('Runtime')) ?? 'nodejs22.x',
    timeoutSeconds: asNumber(get('Timeout')) ?? 3,
    memorySize: asNumber(get('MemorySize')) ?? 128,
    reservedConcurrency: asNumber(get('ReservedConcurrentExecutions')),
    environment,
    tracingMode: isObject(tracing) ? asString(tracing['Mode']) : undefined,
  });
};

/** CreateQueue attribute names among AWS::SQS::Queue properties. */
const QUEUE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'RedrivePolicy',
  'RedriveAllowPolicy',
];

const readQueue = (resolver: AssemblyResolver, origin: Origin, get: Getter): QueueSpec => {
  const queueName = resolver.physicalName(origin.stackName, origin.logicalId);
  const attributes: Record<string, string> = {};
  for (const name of QUEUE_ATTRIBUTES) {
    const value = get(name);
    if (value === undefined || value === null) continue;
    attributes[name] =
      isObject(value) || Array.isArray(value) ? JSON.stringify(value) : (asString(value) ?? '');
  }
  return {
    ...origin,
    queueName,
    queueUrl: resolver.queueUrl(queueName),
    queueArn: asString(resolver.getAtt(origin.stackName, origin.logicalId, 'Arn')) ?? '',
    fifo: attributes['FifoQueue'] === 'true',
    attributes,
  };
};

const readStateMachine = (resolver: AssemblyResolver, origin: Origin, get: Getter): StateMachineSpec => {
  const name = resolver.physicalName(origin.stackName, origin.logicalId);
  const definitionValue = get('DefinitionString') ?? get('Definition');
  if (definitionValue === undefined) {
    throw new TemplateResolutionError(origin.stackName, `${origin.logicalId} has no DefinitionString`);
  }
  let definition = typeof definitionValue === 'string' ? definitionValue : JSON.stringify(definitionValue);
  const substitutions = get('DefinitionSubstitutions');
  if (isObject(substitutions)) {
    definition = definition.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
      const value = substitutions[key];
      return value === undefined ? whole : (asString(value) ?? JSON.stringify(value));
    });
  }
  const type = asString(get('StateMachineType')) === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  const tracing = get('TracingConfiguration');
  const logging = get('LoggingConfiguration');
  return defined<StateMachineSpec>({
    ...origin,
    name,
    stateMachineArn: asString(resolver.getAtt(origin.stackName, origin.logicalId, 'Arn')) ?? '',
    type,
    definition,
    roleArn: asString(get('RoleArn')),
    loggingConfiguration: logging,
    tracingEnabled: isObject(tracing) && tracing['Enabled'] === true,
  });
};

const readBus = (resolver: AssemblyResolver, origin: Origin): EventBusSpec => ({
  ...origin,
  name: resolver.physicalName(origin.stackName, origin.logicalId),
  arn: asString(resolver.getAtt(origin.stackName, origin.logicalId, 'Arn')) ?? '',
});

const busName = (value: Json | undefined): string => {
  const text = asString(value) ?? 'default';
  const match = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(text);
  return match?.[1] ?? text;
};

const readTarget = (value: Json): RuleTargetSpec | undefined => {
  if (!isObject(value)) return undefined;
  const id = asString(value['Id']);
  const arn = asString(value['Arn']);
  if (id === undefined || arn === undefined) return undefined;
  const transformer = value['InputTransformer'];
  const retry = value['RetryPolicy'];
  const dlq = value['DeadLetterConfig'];
  const sqs = value['SqsParameters'];
  const pathsMap = isObject(transformer) ? transformer['InputPathsMap'] : undefined;
  return defined<RuleTargetSpec>({
    Id: id,
    Arn: arn,
    RoleArn: asString(value['RoleArn']),
    Input: asJsonText(value['Input']),
    InputPath: asString(value['InputPath']),
    InputTransformer: isObject(transformer)
      ? defined({
          InputPathsMap: isObject(pathsMap)
            ? Object.fromEntries(Object.entries(pathsMap).map(([k, v]) => [k, asString(v) ?? '']))
            : undefined,
          InputTemplate: asString(transformer['InputTemplate']) ?? '',
        })
      : undefined,
    RetryPolicy: isObject(retry)
      ? defined({
          MaximumRetryAttempts: asNumber(retry['MaximumRetryAttempts']),
          MaximumEventAgeInSeconds: asNumber(retry['MaximumEventAgeInSeconds']),
        })
      : undefined,
    DeadLetterConfig: isObject(dlq) ? defined({ Arn: asString(dlq['Arn']) }) : undefined,
    SqsParameters: isObject(sqs) ? defined({ MessageGroupId: asString(sqs['MessageGroupId']) }) : undefined,
  });
};

const readRule = (resolver: AssemblyResolver, origin: Origin, get: Getter): RuleSpec => {
  const targets = get('Targets');
  return defined<RuleSpec>({
    ...origin,
    name: resolver.physicalName(origin.stackName, origin.logicalId),
    arn: asString(resolver.getAtt(origin.stackName, origin.logicalId, 'Arn')) ?? '',
    eventBusName: busName(get('EventBusName')),
    eventPattern: asJsonText(get('EventPattern')),
    scheduleExpression: asString(get('ScheduleExpression')),
    state: asString(get('State')) === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    description: asString(get('Description')),
    targets: Array.isArray(targets)
      ? targets.map(readTarget).filter((t): t is RuleTargetSpec => t !== undefined)
      : [],
  });
};

const readArchive = (resolver: AssemblyResolver, origin: Origin, get: Getter): ArchiveSpec => {
  const eventSourceArn = asString(get('SourceArn')) ?? '';
  return defined<ArchiveSpec>({
    ...origin,
    archiveName: resolver.physicalName(origin.stackName, origin.logicalId),
    arn: asString(resolver.getAtt(origin.stackName, origin.logicalId, 'Arn')) ?? '',
    eventSourceArn,
    eventBusName: busName(eventSourceArn),
    eventPattern: asJsonText(get('EventPattern')),
    retentionDays: asNumber(get('RetentionDays')),
    description: asString(get('Description')),
  });
};

const keySchema = (value: Json | undefined): TableSpec['KeySchema'] =>
  Array.isArray(value)
    ? value.filter(isObject).map((key) => ({
        AttributeName: asString(key['AttributeName']) ?? '',
        KeyType: asString(key['KeyType']) === 'RANGE' ? 'RANGE' : 'HASH',
      }))
    : [];

const throughput = (value: Json | undefined): TableSpec['ProvisionedThroughput'] =>
  isObject(value)
    ? {
        ReadCapacityUnits: asNumber(value['ReadCapacityUnits']) ?? 5,
        WriteCapacityUnits: asNumber(value['WriteCapacityUnits']) ?? 5,
      }
    : undefined;

const indexes = (value: Json | undefined, provisioned: boolean): SecondaryIndexSpec[] | undefined => {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.filter(isObject).map((index) => {
    const projection = isObject(index['Projection']) ? index['Projection'] : {};
    const type = asString(projection['ProjectionType']);
    const nonKey = projection['NonKeyAttributes'];
    return defined<SecondaryIndexSpec>({
      IndexName: asString(index['IndexName']) ?? '',
      KeySchema: keySchema(index['KeySchema']),
      Projection: defined<SecondaryIndexSpec['Projection']>({
        ProjectionType: type === 'KEYS_ONLY' || type === 'INCLUDE' ? type : 'ALL',
        NonKeyAttributes: Array.isArray(nonKey) ? nonKey.map((n) => asString(n) ?? '') : undefined,
      }),
      ProvisionedThroughput: provisioned
        ? (throughput(index['ProvisionedThroughput']) ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
        : undefined,
    });
  });
};

const readTable = (resolver: AssemblyResolver, origin: Origin, get: Getter): TableSpec => {
  const tableName = resolver.physicalName(origin.stackName, origin.logicalId);
  const billing = asString(get('BillingMode'));
  const provisioned =
    billing === 'PROVISIONED' || (billing === undefined && get('ProvisionedThroughput') !== undefined);
  const attributes = get('AttributeDefinitions');
  const ttl = get('TimeToLiveSpecification');
  return defined<TableSpec>({
    ...origin,
    tableName,
    tableArn: asString(resolver.getAtt(origin.stackName, origin.logicalId, 'Arn')) ?? '',
    KeySchema: keySchema(get('KeySchema')),
    AttributeDefinitions: Array.isArray(attributes)
      ? attributes.filter(isObject).map((attribute) => {
          const type = asString(attribute['AttributeType']);
          return {
            AttributeName: asString(attribute['AttributeName']) ?? '',
            AttributeType: type === 'N' || type === 'B' ? type : 'S',
          };
        })
      : [],
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ProvisionedThroughput: provisioned
      ? (throughput(get('ProvisionedThroughput')) ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 })
      : undefined,
    GlobalSecondaryIndexes: indexes(get('GlobalSecondaryIndexes'), provisioned),
    LocalSecondaryIndexes: indexes(get('LocalSecondaryIndexes'), false),
    timeToLiveAttribute:
      isObject(ttl) && ttl['Enabled'] === true ? asString(ttl['AttributeName']) : undefined,
  });
};

const readParameter = (resolver: AssemblyResolver, origin: Origin, get: Getter): SsmParameterSpec => ({
  ...origin,
  name: resolver.physicalName(origin.stackName, origin.logicalId),
  value: asString(get('Value')) ?? '',
  type: asString(get('Type')) ?? 'String',
});

const readEventSourceMapping = (
  resolver: AssemblyResolver,
  origin: Origin,
  get: Getter,
): EventSourceMappingSpec => {
  const types = get('FunctionResponseTypes');
  const scaling = get('ScalingConfig');
  const eventSourceArn = asString(get('EventSourceArn')) ?? '';
  const isSqs = eventSourceArn.startsWith('arn:aws:sqs:');
  return defined<EventSourceMappingSpec>({
    ...origin,
    uuid: asString(resolver.ref(origin.stackName, origin.logicalId)) ?? '',
    functionName: resolver.functionNameOf(origin.stackName, get('FunctionName') ?? null),
    eventSourceArn,
    batchSize: asNumber(get('BatchSize')) ?? (isSqs ? 10 : 100),
    maximumBatchingWindowInSeconds: asNumber(get('MaximumBatchingWindowInSeconds')) ?? 0,
    reportBatchItemFailures: Array.isArray(types) && types.includes('ReportBatchItemFailures'),
    enabled: get('Enabled') !== false && get('Enabled') !== 'false',
    maximumConcurrency: isObject(scaling) ? asNumber(scaling['MaximumConcurrency']) : undefined,
  });
};

const readFunctionUrl = (resolver: AssemblyResolver, origin: Origin, get: Getter): FunctionUrlSpec => {
  const functionName = resolver.functionNameOf(origin.stackName, get('TargetFunctionArn') ?? null);
  return defined<FunctionUrlSpec>({
    ...origin,
    functionName,
    url: resolver.functionUrl(functionName),
    authType: asString(get('AuthType')) ?? 'NONE',
    cors: get('Cors'),
  });
};
