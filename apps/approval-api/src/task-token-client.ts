import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';

/** Base of the errors a {@link TaskTokenClient} reports for a task that no longer waits. */
export class TaskTokenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TaskTokenError';
  }
}

/** The wait timed out, or the task was already closed (Step Functions `TaskTimedOut`). */
export class TaskTokenExpiredError extends TaskTokenError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TaskTokenExpiredError';
  }
}

/** The workflow knows no such task (Step Functions `TaskDoesNotExist` or `InvalidToken`). */
export class TaskTokenNotFoundError extends TaskTokenError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TaskTokenNotFoundError';
  }
}

/**
 * The port through which the approvals service answers a waiting workflow task. Implementations throw
 * {@link TaskTokenExpiredError} or {@link TaskTokenNotFoundError} when the task no longer waits, and let every
 * other (transient) error through. Messages never contain the token.
 */
export interface TaskTokenClient {
  /** Resume the task with `output` as its result (SendTaskSuccess). */
  complete(taskToken: string, output: unknown): Promise<void>;
  /** Fail the task with an error name and cause (SendTaskFailure). */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
  /** Tell the task its worker is still busy (SendTaskHeartbeat). */
  heartbeat(taskToken: string): Promise<void>;
}

const translate = (error: unknown, operation: string): unknown => {
  if (error instanceof TaskTimedOut) {
    return new TaskTokenExpiredError(`${operation}: the task timed out or was already closed`, {
      cause: error,
    });
  }
  if (error instanceof TaskDoesNotExist || error instanceof InvalidToken) {
    return new TaskTokenNotFoundError(
      `${operation}: the workflow has no task for this token (${error.name})`,
      {
        cause: error,
      },
    );
  }
  return error;
};

/** {@link TaskTokenClient} over the Step Functions API (AWS, or the local cloud through AWS_ENDPOINT_URL). */
export class SfnTaskTokenClient implements TaskTokenClient {
  constructor(private readonly sfn: SFNClient) {}

  async complete(taskToken: string, output: unknown): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      throw translate(error, 'SendTaskSuccess');
    }
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    try {
      await this.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    } catch (caught) {
      throw translate(caught, 'SendTaskFailure');
    }
  }

  async heartbeat(taskToken: string): Promise<void> {
    try {
      await this.sfn.send(new SendTaskHeartbeatCommand({ taskToken }));
    } catch (error) {
      throw translate(error, 'SendTaskHeartbeat');
    }
  }
}
