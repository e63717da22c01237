/**
 * An API error of the engine. `code` is the AWS error code (e.g. `ExecutionDoesNotExist`), `message` is worded as AWS
 * words it; the HTTP layer maps it to `{"__type": code, "message": message}`.
 */
export class EngineError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * What an integration rejects with when the called service fails: `error` becomes the ASL error name (e.g. a Lambda
 * function's `errorType`), `cause` the error cause (AWS's JSON text for Lambda errors).
 */
export class TaskFailure extends Error {
  constructor(
    public readonly error: string,
    public override readonly cause?: string,
  ) {
    super(cause === undefined ? error : `${error}: ${cause}`);
    this.name = 'TaskFailure';
  }
}

/** An ASL run-time error (a `States.*` or task error) raised inside the interpreter. */
export class AslError extends Error {
  /** True for a missed heartbeat (reported as States.Timeout; matched by States.HeartbeatTimeout too). */
  heartbeat = false;

  constructor(
    /** Undefined for a Fail state without Error. */
    public readonly error: string | undefined,
    public override readonly cause: string | undefined,
    /** JSONata evaluation errors are recorded as `EvaluationFailed` with this location (e.g. `Output/result`). */
    public readonly location?: string,
  ) {
    super(`${error ?? '(no error)'}: ${cause ?? '(no cause)'}`);
    this.name = 'AslError';
  }
}
