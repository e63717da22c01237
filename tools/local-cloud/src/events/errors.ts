/**
 * An EventBridge API error: the modelled error code (the SDK's exception class name, e.g. `ResourceNotFoundException`,
 * `InvalidEventPatternException`, `ValidationException`), the message, the HTTP status and the fault side.
 */
export class EventBridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** `InvalidEventPatternException` worded as EventBridge words it. */
export const invalidPattern = (reason: string): EventBridgeError =>
  new EventBridgeError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);

/** `ResourceNotFoundException` for a missing bus, rule, archive or replay. */
export const notFound = (what: string): EventBridgeError =>
  new EventBridgeError('ResourceNotFoundException', `${what} does not exist.`);

/** `ValidationException` with the given message. */
export const validation = (message: string): EventBridgeError =>
  new EventBridgeError('ValidationException', message);

/** `ValidationException` for a missing required member, worded as AWS's request validation does. */
export const missingMember = (member: string): EventBridgeError =>
  validation(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

/** `ValidationException` for a member that does not match its pattern. */
export const badPattern = (member: string, value: string, pattern: string): EventBridgeError =>
  validation(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
  );
