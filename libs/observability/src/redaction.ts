/**
 * Keeps secrets (Step Functions task tokens above all) out of log lines. Used as the shared Logger's
 * `jsonReplacerFn`, so it sees every key/value of every log item, including error messages and stacks.
 *
 * Three rules, applied to every value:
 * 1. a value under a sensitive key (`taskToken`, `TaskToken`, `token`, `authorization`, any case) is replaced;
 * 2. a string that contains a value registered with {@link registerSecret} has that value replaced;
 * 3. a string that embeds a sensitive field as JSON text (`"taskToken":"…"`, e.g. an SQS body) or as a query
 *    parameter (`?token=…`) has the field's value replaced.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** Keys whose values are always redacted, compared case-insensitively. */
const SENSITIVE_KEYS: ReadonlySet<string> = new Set(['tasktoken', 'task_token', 'token', 'authorization']);

/** Most secrets remembered at once (oldest forgotten first); a warm function registers one or a few per invocation. */
const MAX_REGISTERED_SECRETS = 256;
/** Shorter values are not registered: replacing them inside arbitrary strings would garble unrelated text. */
const MIN_SECRET_LENGTH = 8;

const registeredSecrets = new Set<string>();

const EMBEDDED_JSON_FIELD = /("(?:task_?token|token|authorization)"\s*:\s*")(?:[^"\\]|\\.)*(")/gi;
const QUERY_PARAMETER = /([?&](?:task_?token|token)=)[^&#\s"']+/gi;

/**
 * Remembers a secret value (e.g. a task token just received) so that it is redacted wherever it appears in a
 * later log line, whatever the key. Values shorter than 8 characters are ignored.
 *
 * @example
 * ```ts
 * registerSecret(message.taskToken);
 * logger.info('sending', { body: JSON.stringify(message) }); // the token is replaced by [REDACTED]
 * ```
 */
export const registerSecret = (secret: string): void => {
  if (secret.length < MIN_SECRET_LENGTH || registeredSecrets.has(secret)) return;
  if (registeredSecrets.size >= MAX_REGISTERED_SECRETS) {
    const oldest = registeredSecrets.values().next();
    if (oldest.done !== true) registeredSecrets.delete(oldest.value);
  }
  registeredSecrets.add(secret);
};

/** Forgets every registered secret (tests; or at the end of an invocation). */
export const forgetSecrets = (): void => registeredSecrets.clear();

/** Returns `text` with every registered secret and every embedded sensitive field replaced by {@link REDACTED}. */
export const redactString = (text: string): string => {
  let redacted = text;
  for (const secret of registeredSecrets) {
    if (redacted.includes(secret)) redacted = redacted.split(secret).join(REDACTED);
  }
  return redacted.replace(EMBEDDED_JSON_FIELD, `$1${REDACTED}$2`).replace(QUERY_PARAMETER, `$1${REDACTED}`);
};

/** Whether a key names a secret (`taskToken`, `TaskToken`, `token`, `authorization`, ...). */
export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEYS.has(key.toLowerCase());

/**
 * A `JSON.stringify` replacer (the Logger's `jsonReplacerFn`) that applies the redaction rules to each value.
 */
export const redactingJsonReplacer = (key: string, value: unknown): unknown => {
  if (isSensitiveKey(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return redactString(value);
  return value;
};
