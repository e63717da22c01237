/**
 * The error a state raises while evaluating its expressions, named as Step Functions names it.
 *
 * `error` is the States error name (e.g. `States.Runtime`, `States.QueryEvaluationError`,
 * `States.ResultPathMatchFailure`); `cause` is the AWS-worded explanation WITHOUT the
 * "An error occurred while executing the state 'X' (entered at the event id #N). " prefix, which the
 * interpreter adds because only it knows the state and the event id (see {@link withStatePrefix}).
 * `location` is set for JSONata failures: the field as AWS reports it in `evaluationFailedEventDetails.location`
 * (e.g. `Arguments/FunctionName`, `Output/result`, `Items`).
 */
export class StatesError extends Error {
  constructor(
    public readonly error: string,
    public override readonly cause: string,
    public readonly location?: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}

/** The States error names the expression layer raises. */
export const StatesErrorName = {
  Runtime: 'States.Runtime',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  /** AWS reserves these two and reports their failures as `States.Runtime`; kept for ErrorEquals matching. */
  IntrinsicFailure: 'States.IntrinsicFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
} as const;

/**
 * The cause text AWS records for a failure inside a state:
 * `An error occurred while executing the state 'Name' (entered at the event id #2). <cause>`.
 */
export function withStatePrefix(stateName: string, enteredEventId: number, cause: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${cause}`;
}
