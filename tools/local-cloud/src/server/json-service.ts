import { type AwsError } from './aws-error';
import { type Params } from './params';

/** One AWS JSON-protocol service (awsJson1_0 / awsJson1_1), addressed by its `X-Amz-Target` prefix. */
export interface JsonProtocolService {
  /** The `X-Amz-Target` prefix before the dot, e.g. `AWSStepFunctions`. */
  readonly targetPrefix: string;
  /** `1.0` or `1.1`: the response content type is `application/x-amz-json-<version>`. */
  readonly jsonVersion: '1.0' | '1.1';
  /** Prefix of the error `__type`, e.g. `com.amazonaws.swf.service.v2.model#` (may be empty). */
  readonly errorTypePrefix: string;
  /** Runs one operation; resolves with the output shape (Dates allowed: the wire converts them). */
  handle(operation: string, params: Params, context: { signal: AbortSignal }): Promise<unknown>;
  /** Maps a domain error to the AWS error, or `undefined` when it is not one this service knows (→ 500). */
  toAwsError(error: unknown): AwsError | undefined;
  /** Adjusts every error before it is sent (SQS adds its query-protocol code). */
  decorateError?(error: AwsError): AwsError;
}
