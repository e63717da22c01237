/** A transport-neutral HTTP request (built from the Lambda function URL event, payload format 2.0). */
export interface HttpRequest {
  readonly method: string;
  /** Path without query string, e.g. `/approvals/apr_…/decision`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | undefined;
}

/** A JSON HTTP response. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
