import { EngineError, type TestStateInput } from '@flow/asl-engine';
import { AwsError, unknownOperation } from '../server/aws-error';
import { type JsonProtocolService } from '../server/json-service';
import { compact, Params } from '../server/params';

/** SFN model limits (request validation happens before the service logic, as on AWS). */
const Limits = {
  name: 80,
  definition: 1_048_576,
  arn: 256,
  executionArn: 2048,
  payload: 262_144,
  taskToken: 2048,
  error: 256,
  cause: 32_768,
  traceHeader: 256,
} as const;

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
const EXECUTION_STATUSES: readonly string[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

/**
 * What the Step Functions wire layer needs from the engine (`@flow/asl-engine`'s `Engine` satisfies it).
 * Outputs are the AWS output shapes with `Date` timestamps.
 */
export interface StepFunctionsBackend {
  createStateMachine(i: {
    name: string;
    definition: string;
    roleArn?: string;
    type?: 'STANDARD' | 'EXPRESS';
    loggingConfiguration?: unknown;
    tracingConfiguration?: { enabled?: boolean };
  }): Promise<unknown>;
  updateStateMachine(i: { stateMachineArn: string; definition?: string; roleArn?: string }): Promise<unknown>;
  deleteStateMachine(i: { stateMachineArn: string }): Promise<unknown>;
  describeStateMachine(i: { stateMachineArn: string }): Promise<unknown>;
  listStateMachines(i: { maxResults?: number; nextToken?: string }): Promise<unknown>;
  startExecution(i: {
    stateMachineArn: string;
    name?: string;
    input?: string;
    traceHeader?: string;
  }): Promise<unknown>;
  startSyncExecution(i: { stateMachineArn: string; name?: string; input?: string }): Promise<unknown>;
  describeExecution(i: { executionArn: string }): Promise<unknown>;
  listExecutions(i: {
    stateMachineArn?: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
    redriveFilter?: string;
  }): Promise<unknown>;
  getExecutionHistory(i: {
    executionArn: string;
    maxResults?: number;
    reverseOrder?: boolean;
    nextToken?: string;
    includeExecutionData?: boolean;
  }): Promise<unknown>;
  stopExecution(i: { executionArn: string; error?: string; cause?: string }): Promise<unknown>;
  redriveExecution(i: { executionArn: string; clientToken?: string }): Promise<unknown>;
  sendTaskSuccess(i: { taskToken: string; output: string }): Promise<unknown>;
  sendTaskFailure(i: { taskToken: string; error?: string; cause?: string }): Promise<unknown>;
  sendTaskHeartbeat(i: { taskToken: string }): Promise<unknown>;
  testState(i: TestStateInput): Promise<unknown>;
}

/**
 * Checks that `arn` is a Step Functions ARN of one of the given resource types, answering `InvalidArn` worded as
 * AWS words it otherwise.
 */
export const requireStatesArn = (arn: string, resourceTypes: readonly string[]): string => {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || !parts[1]?.startsWith('aws')) {
    throw new AwsError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  }
  if (parts[2] !== 'states') {
    throw new AwsError('InvalidArn', `Invalid Arn: 'Service not valid in this context: ${parts[2] ?? ''}'`);
  }
  const resourceType = parts[5] ?? '';
  if (!resourceTypes.includes(resourceType)) {
    throw new AwsError(
      'InvalidArn',
      `Invalid Arn: 'Resource type not valid in this context: ${resourceType}'`,
    );
  }
  if ((parts[6] ?? '') === '')
    throw new AwsError('InvalidArn', `Invalid Arn: 'Resource name missing: ${arn}'`);
  return arn;
};

const stateMachineArn = (p: Params): string =>
  requireStatesArn(p.string('stateMachineArn', Limits.arn), ['stateMachine']);
const executionArn = (p: Params): string =>
  requireStatesArn(p.string('executionArn', Limits.executionArn), ['execution', 'express']);

const statusFilter = (p: Params): ExecutionStatus | undefined => {
  const value = p.optionalString('statusFilter');
  if (value === undefined) return undefined;
  if (!EXECUTION_STATUSES.includes(value)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES.join(', ')}]`,
    );
  }
  return value as ExecutionStatus;
};

const machineType = (p: Params): 'STANDARD' | 'EXPRESS' | undefined => {
  const value = p.optionalString('type');
  if (value === undefined || value === 'STANDARD' || value === 'EXPRESS') return value;
  throw new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
  );
};

const maxResults = (p: Params): number | undefined => {
  const value = p.optionalNumber('maxResults');
  if (value !== undefined && (value < 0 || value > 1000 || !Number.isInteger(value))) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  return value === 0 ? undefined : value;
};

/** A member that must be one of `values` (the model's enum), or absent. */
const enumMember = <T extends string>(
  p: Params,
  name: string,
  values: readonly T[],
  path = name,
): T | undefined => {
  const value = p.optionalString(name);
  if (value === undefined || (values as readonly string[]).includes(value)) return value as T | undefined;
  throw new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
  );
};

/** A non-negative integer member (the model's `min: 0` integers), or absent. */
const countMember = (p: Params, name: string, path: string): number | undefined => {
  const value = p.optionalNumber(name);
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  }
  return value;
};

/** The TestState request members, checked against the model (lengths, enums, nested structures). */
const testStateInput = (p: Params): TestStateInput => {
  const stateName = p.optionalString('stateName', 80);
  if (stateName === '') {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value '' at 'stateName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const mockRaw = p.optionalObject('mock');
  const mockParams = mockRaw === undefined ? undefined : new Params(mockRaw);
  const errorRaw = mockParams?.optionalObject('errorOutput');
  const errorParams = errorRaw === undefined ? undefined : new Params(errorRaw);
  const configRaw = p.optionalObject('stateConfiguration');
  const config = configRaw === undefined ? undefined : new Params(configRaw);
  return {
    definition: p.string('definition', Limits.definition),
    ...compact({
      roleArn: p.optionalString('roleArn', Limits.arn),
      input: p.optionalString('input', Limits.payload),
      inspectionLevel: enumMember(p, 'inspectionLevel', ['INFO', 'DEBUG', 'TRACE'] as const),
      revealSecrets: p.optionalBoolean('revealSecrets'),
      variables: p.optionalString('variables', Limits.payload),
      stateName,
      context: p.optionalString('context', Limits.payload),
      mock:
        mockParams === undefined
          ? undefined
          : compact({
              result: mockParams.optionalString('result', Limits.payload),
              errorOutput:
                errorParams === undefined
                  ? undefined
                  : compact({
                      error: errorParams.optionalString('error', Limits.error),
                      cause: errorParams.optionalString('cause', Limits.cause),
                    }),
              fieldValidationMode: enumMember(
                mockParams,
                'fieldValidationMode',
                ['STRICT', 'PRESENT', 'NONE'] as const,
                'mock.fieldValidationMode',
              ),
            }),
      stateConfiguration:
        config === undefined
          ? undefined
          : compact({
              retrierRetryCount: countMember(
                config,
                'retrierRetryCount',
                'stateConfiguration.retrierRetryCount',
              ),
              errorCausedByState: config.optionalString('errorCausedByState', 80),
              mapIterationFailureCount: countMember(
                config,
                'mapIterationFailureCount',
                'stateConfiguration.mapIterationFailureCount',
              ),
              mapItemReaderData: config.optionalString('mapItemReaderData', Limits.payload),
            }),
    }),
  };
};

type Operation = (backend: StepFunctionsBackend, p: Params) => Promise<unknown>;

const operations: Record<string, Operation> = {
  CreateStateMachine: (b, p) =>
    b.createStateMachine({
      name: p.string('name', Limits.name),
      definition: p.string('definition', Limits.definition),
      ...compact({
        roleArn: p.optionalString('roleArn', Limits.arn),
        type: machineType(p),
        loggingConfiguration: p.optionalObject('loggingConfiguration'),
        tracingConfiguration: p.optionalObject('tracingConfiguration') as { enabled?: boolean } | undefined,
      }),
    }),
  UpdateStateMachine: async (b, p) =>
    b.updateStateMachine({
      stateMachineArn: stateMachineArn(p),
      ...compact({
        definition: p.optionalString('definition', Limits.definition),
        roleArn: p.optionalString('roleArn', Limits.arn),
      }),
    }),
  DeleteStateMachine: async (b, p) => {
    await b.deleteStateMachine({ stateMachineArn: stateMachineArn(p) });
    return {};
  },
  DescribeStateMachine: (b, p) => b.describeStateMachine({ stateMachineArn: stateMachineArn(p) }),
  ListStateMachines: (b, p) =>
    b.listStateMachines(
      compact({ maxResults: maxResults(p), nextToken: p.optionalString('nextToken', 1024) }),
    ),
  StartExecution: (b, p) =>
    b.startExecution({
      stateMachineArn: stateMachineArn(p),
      ...compact({
        name: p.optionalString('name', Limits.name),
        input: p.optionalString('input', Limits.payload),
        traceHeader: p.optionalString('traceHeader', Limits.traceHeader),
      }),
    }),
  StartSyncExecution: (b, p) =>
    b.startSyncExecution({
      stateMachineArn: stateMachineArn(p),
      ...compact({
        name: p.optionalString('name', Limits.name),
        input: p.optionalString('input', Limits.payload),
      }),
    }),
  DescribeExecution: (b, p) => b.describeExecution({ executionArn: executionArn(p) }),
  ListExecutions: (b, p) => {
    const machine = p.optionalString('stateMachineArn', Limits.arn);
    return b.listExecutions(
      compact({
        stateMachineArn: machine === undefined ? undefined : requireStatesArn(machine, ['stateMachine']),
        statusFilter: statusFilter(p),
        maxResults: maxResults(p),
        nextToken: p.optionalString('nextToken', 3096),
        redriveFilter: p.optionalString('redriveFilter'),
      }),
    );
  },
  GetExecutionHistory: (b, p) =>
    b.getExecutionHistory({
      executionArn: executionArn(p),
      ...compact({
        maxResults: maxResults(p),
        reverseOrder: p.optionalBoolean('reverseOrder'),
        nextToken: p.optionalString('nextToken', 3096),
        includeExecutionData: p.optionalBoolean('includeExecutionData'),
      }),
    }),
  StopExecution: (b, p) =>
    b.stopExecution({
      executionArn: executionArn(p),
      ...compact({
        error: p.optionalString('error', Limits.error),
        cause: p.optionalString('cause', Limits.cause),
      }),
    }),
  RedriveExecution: (b, p) =>
    b.redriveExecution({
      executionArn: executionArn(p),
      ...compact({ clientToken: p.optionalString('clientToken', 64) }),
    }),
  SendTaskSuccess: async (b, p) => {
    await b.sendTaskSuccess({
      taskToken: p.string('taskToken', Limits.taskToken),
      output: p.string('output', Limits.payload),
    });
    return {};
  },
  SendTaskFailure: async (b, p) => {
    await b.sendTaskFailure({
      taskToken: p.string('taskToken', Limits.taskToken),
      ...compact({
        error: p.optionalString('error', Limits.error),
        cause: p.optionalString('cause', Limits.cause),
      }),
    });
    return {};
  },
  TestState: (b, p) => b.testState(testStateInput(p)),
  SendTaskHeartbeat: async (b, p) => {
    await b.sendTaskHeartbeat({ taskToken: p.string('taskToken', Limits.taskToken) });
    return {};
  },
};

/** The AWS Step Functions JSON 1.0 service (`X-Amz-Target: AWSStepFunctions.<Operation>`) over the engine. */
export const stepFunctionsService = (backend: StepFunctionsBackend): JsonProtocolService => ({
  targetPrefix: 'AWSStepFunctions',
  jsonVersion: '1.0',
  errorTypePrefix: 'com.amazonaws.swf.service.v2.model#',
  handle: async (operation, params) => {
    const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (run === undefined) throw unknownOperation(operation);
    return run(backend, params);
  },
  toAwsError: (error) => (error instanceof EngineError ? new AwsError(error.code, error.message) : undefined),
});
