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
