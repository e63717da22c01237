import { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AwsError } from './aws-error';

/** A request as the protocol handlers see it: the whole body already read (within the size limit). */
export interface WireRequest {
  readonly method: string;
  /** The path without the query string, percent-decoding left to the route. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The request id echoed in `x-amzn-RequestId` and in XML `RequestId`. */
  readonly requestId: string;
  /** Aborted when the client goes away before the response is sent (ends long polls early). */
  readonly signal: AbortSignal;
  /** The endpoint the client addressed, e.g. `http://127.0.0.1:4566` (used to build queue URLs). */
  readonly endpoint: string;
}

/** A complete response. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/**
 * One protocol on the shared port. `matches` sees only the request line and headers, so routing happens before
 * the body is read; `handle` must answer every error itself in its protocol's shape, except crashes, which the
 * server turns into `errorResponse(internalFailure())`.
 */
export interface Route {
  readonly name: string;
  matches(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): boolean;
  /** Largest body this protocol accepts, in bytes. */
  readonly maxBodyBytes: number;
  handle(request: WireRequest): Promise<WireResponse>;
  errorResponse(error: AwsError, request: Omit<WireRequest, 'body'>): WireResponse;
}

/** A route that takes the raw Node request (streaming, e.g. the web console or a proxy). */
export interface RawRoute {
  readonly name: string;
  matches(method: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders): boolean;
  handleRaw(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** Reads one header as a single string (first value if repeated). */
export const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};
