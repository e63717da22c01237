/**
 * The TestState API's request and response, member for member as the Step Functions API model
 * (`TestStateInput` / `TestStateOutput` of botocore's `stepfunctions` service model) names them.
 */

/** How much of the state's data flow TestState reports. */
export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';

/** How strictly a mocked result is checked against the called service's API model. */
export type MockFieldValidationMode = 'STRICT' | 'PRESENT' | 'NONE';

/** `mock`: the state's result or error, instead of calling the service (or running a Map or Parallel). */
export interface TestStateMock {
  /** JSON text: the mocked result. */
  result?: string;
  /** The mocked failure. */
  errorOutput?: { error?: string; cause?: string };
  fieldValidationMode?: MockFieldValidationMode;
}

/** `stateConfiguration`: where in its retries and iterations the tested state is. */
export interface TestStateConfiguration {
  /** Retries already made by the retrier that matches the (mocked) error. */
  retrierRetryCount?: number;
  /** The state inside a Map or Parallel that raised the mocked error. */
  errorCausedByState?: string;
  /** Map iterations that failed (checked against the tolerated failure threshold). */
  mapIterationFailureCount?: number;
  /** JSON text: what a distributed Map's ItemReader read. */
  mapItemReaderData?: string;
}

/** The TestState request. */
export interface TestStateInput {
  /** The state's definition, or a whole state machine's with `stateName`. */
  definition: string;
  roleArn?: string;
  /** JSON text: the state's input (default `{}`). */
  input?: string;
  /** Default INFO. */
  inspectionLevel?: InspectionLevel;
  revealSecrets?: boolean;
  /** JSON text of an object: the workflow variables the state sees. */
  variables?: string;
  /** The state of `definition` (a whole state machine) to test. */
  stateName?: string;
  mock?: TestStateMock;
  /** JSON text: the Context object (only with a mock). */
  context?: string;
  stateConfiguration?: TestStateConfiguration;
}

/** `errorDetails`: how the state's Retry or Catch handled the error. */
export interface InspectionErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

/** The HTTP request of an HTTP Task (TRACE). */
export interface InspectionDataRequest {
  protocol?: string;
  method?: string;
  url?: string;
  headers?: string;
  body?: string;
}

/** The HTTP response of an HTTP Task (TRACE). */
export interface InspectionDataResponse {
  protocol?: string;
  statusCode?: string;
  statusMessage?: string;
  headers?: string;
  body?: string;
}

/** `inspectionData` (DEBUG and TRACE): the state's data at each processing step, as JSON text. */
export interface InspectionData {
  input?: string;
  afterArguments?: string;
  afterInputPath?: string;
  afterParameters?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  request?: InspectionDataRequest;
  response?: InspectionDataResponse;
  variables?: string;
  errorDetails?: InspectionErrorDetails;
  afterItemsPath?: string;
  afterItemSelector?: string;
  afterItemBatcher?: string;
  afterItemsPointer?: string;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  maxConcurrency?: number;
}

/** The state's outcome. */
export type TestExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

/** The TestState response. */
export interface TestStateOutput {
  /** JSON text: the state's output (SUCCEEDED, CAUGHT_ERROR). */
  output?: string;
  error?: string;
  cause?: string;
  inspectionData?: InspectionData;
  /** The state the execution would go to next. */
  nextState?: string;
  status: TestExecutionStatus;
}
