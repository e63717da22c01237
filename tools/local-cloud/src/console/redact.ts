/** The shape of a task token the local engine mints (`AQ` + 256 base64url characters). */
const TASK_TOKEN = /AQ[A-Za-z0-9_-]{256}/g;

/** What a task token is replaced with in anything the console sends to a browser. */
export const REDACTED_TOKEN = '[task token redacted]';

/** Replaces task tokens in every string of a JSON-like value (dates and other objects are kept as they are). */
export const redactTaskTokens = <T>(value: T): T => {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(TASK_TOKEN, REDACTED_TOKEN);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    }
    return v;
  };
  return walk(value) as T;
};
