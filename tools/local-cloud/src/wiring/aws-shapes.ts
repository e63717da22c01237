import { randomUUID } from 'node:crypto';
import { type JsonValue } from '@flow/asl-engine';

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `SdkHttpMetadata` / `SdkResponseMetadata` members Step Functions adds to a service integration's result (the
 * Java SDK's response metadata, as AWS returns it).
 */
export const sdkMetadata = (
  contentType: string,
  body: string,
  extraHeaders: Record<string, string> = {},
  requestId: string = randomUUID(),
): { SdkHttpMetadata: JsonObject; SdkResponseMetadata: JsonObject } => {
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': contentType,
    Date: new Date().toUTCString(),
    'x-amzn-RequestId': requestId,
    ...extraHeaders,
  };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
};

/** A value Step Functions serialises as a string parameter (objects become their JSON text, as AWS does). */
export const asTextParameter = (value: JsonValue | undefined): string | undefined =>
  value === undefined || value === null
    ? undefined
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** The Java-SDK-style cause Step Functions reports for a service exception of an integration. */
export const serviceExceptionCause = (
  service: string,
  code: string,
  message: string,
  status: number,
  requestId: string = randomUUID(),
): string =>
  `${message} (Service: ${service}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`;
