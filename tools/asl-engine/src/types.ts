/** A JSON value, as ASL inputs, outputs and payloads are. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [k: string]: JsonValue };

/** Execution status, as the Step Functions API names it. */
export type ExecutionStatus =
  'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
/** State machine type. */
export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** `inputDetails` / `outputDetails` of history events and API outputs. */
export interface CloudWatchEventsExecutionDataDetails {
  truncated: boolean;
}

/** Detail objects of history events: field names exactly as the SFN API model names them. */
export type EventDetails = {
  [k: string]:
    string | number | boolean | CloudWatchEventsExecutionDataDetails | Record<string, string> | undefined;
};

/** One entry of GetExecutionHistory (`HistoryEvent`), timestamps as Date. */
export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  executionStartedEventDetails?: EventDetails;
  executionSucceededEventDetails?: EventDetails;
  executionFailedEventDetails?: EventDetails;
  executionAbortedEventDetails?: EventDetails;
  executionTimedOutEventDetails?: EventDetails;
  executionRedrivenEventDetails?: EventDetails;
  stateEnteredEventDetails?: EventDetails;
  stateExitedEventDetails?: EventDetails;
  taskScheduledEventDetails?: EventDetails;
  taskStartedEventDetails?: EventDetails;
  taskSubmittedEventDetails?: EventDetails;
  taskSucceededEventDetails?: EventDetails;
  taskFailedEventDetails?: EventDetails;
  taskTimedOutEventDetails?: EventDetails;
  taskStartFailedEventDetails?: EventDetails;
  taskSubmitFailedEventDetails?: EventDetails;
  lambdaFunctionScheduledEventDetails?: EventDetails;
  lambdaFunctionSucceededEventDetails?: EventDetails;
  lambdaFunctionFailedEventDetails?: EventDetails;
  lambdaFunctionTimedOutEventDetails?: EventDetails;
  lambdaFunctionStartFailedEventDetails?: EventDetails;
  lambdaFunctionScheduleFailedEventDetails?: EventDetails;
  mapStateStartedEventDetails?: EventDetails;
  mapIterationStartedEventDetails?: EventDetails;
  mapIterationSucceededEventDetails?: EventDetails;
  mapIterationFailedEventDetails?: EventDetails;
  mapIterationAbortedEventDetails?: EventDetails;
  evaluationFailedEventDetails?: EventDetails;
}

/** DescribeExecution output. */
export interface DescribeExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input?: string;
  inputDetails?: CloudWatchEventsExecutionDataDetails;
  output?: string;
  outputDetails?: CloudWatchEventsExecutionDataDetails;
  traceHeader?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: Date;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN';
  redriveStatusReason?: string;
}

/** ListExecutions item. */
export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  redriveCount?: number;
  redriveDate?: Date;
}

/** StartSyncExecution output. */
export interface StartSyncExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  startDate: Date;
  stopDate: Date;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  error?: string;
  cause?: string;
  input?: string;
  inputDetails?: CloudWatchEventsExecutionDataDetails;
  output?: string;
  outputDetails?: CloudWatchEventsExecutionDataDetails;
  traceHeader?: string;
  billingDetails?: { billedMemoryUsedInMB: number; billedDurationInMilliseconds: number };
}

/** DescribeStateMachine output. */
export interface DescribeStateMachineOutput {
  stateMachineArn: string;
  name: string;
  status: 'ACTIVE' | 'DELETING';
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: Date;
  loggingConfiguration?: unknown;
  tracingConfiguration?: { enabled?: boolean };
  revisionId?: string;
}

/** ListStateMachines item. */
export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  creationDate: Date;
}
