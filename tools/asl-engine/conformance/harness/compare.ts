/**
 * Compares what the engine produced with what AWS recorded, modulo the recording's normalisation
 * (README.md, "Comparing a result with the recording"):
 * - placeholders such as `<ArnPart_0idx>`, `<uuid:1>`, `<<task_token>:1>` match any text;
 * - `111111111111` matches any 12-digit account id;
 * - the timestamp markers `timestamp`, `date`, `datetime`, `start-time` match any value;
 * - each transformer replacement (and a value equal to its own key, e.g. `"RequestId": "RequestId"`) is a wildcard;
 * - recorded JSON objects may stand for JSON text: an actual string is parsed before comparing with one.
 */
import type { CaseTransformer, Json } from './cases';

/** The first difference found, as a path and the two sides. */
export interface Mismatch {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
}

const WHOLE_WILDCARDS = new Set([
  'timestamp',
  'date',
  'datetime',
  'start-time',
  'snf_role_arn',
  'sfn_role_arn',
]);
const PLACEHOLDER = /<(?:[^<>]|<[^<>]*>)*>/g;
const SELF_NAMED_WILDCARD_KEYS = /request-?id|trace-?id|crc32|^server$|^date$|logresult/i;
/** An HTTP `Date` header (RFC 1123): the recording kept some literally; any such date matches. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A comparator bound to one case's transformers. */
export class Comparator {
  private readonly wildcardTokens: string[];
  private readonly patternCache = new Map<string, RegExp | null>();

  constructor(transformers: readonly CaseTransformer[]) {
    this.wildcardTokens = [
      ...new Set(
        transformers
          .map((t) => t.replacement)
          .filter((r) => r.length >= 3)
          .sort((a, b) => b.length - a.length),
      ),
      'snf_role_arn',
      'sfn_role_arn',
    ];
  }

  /** The pattern an expected string stands for, or null when it must match literally. */
  private pattern(expected: string): RegExp | null {
    const hit = this.patternCache.get(expected);
    if (hit !== undefined) return hit;
    const parts: { text: string; wild: boolean }[] = [];
    let last = 0;
    for (const m of expected.matchAll(PLACEHOLDER)) {
      parts.push({ text: expected.slice(last, m.index), wild: false }, { text: m[0], wild: true });
      last = (m.index ?? 0) + m[0].length;
    }
    parts.push({ text: expected.slice(last), wild: false });
    let source = '';
    let wild = false;
    for (const part of parts) {
      if (part.wild) {
        source += '[\\s\\S]*?';
        wild = true;
        continue;
      }
      let chunk = escapeRegex(part.text);
      for (const token of this.wildcardTokens) {
        if (part.text.includes(token)) {
          chunk = chunk.split(escapeRegex(token)).join('[\\s\\S]*?');
          wild = true;
        }
      }
      if (chunk.includes('111111111111')) {
        chunk = chunk.split('111111111111').join('\\d{12}');
        wild = true;
      }
      source += chunk;
    }
    const re = wild ? new RegExp(`^${source}$`) : null;
    this.patternCache.set(expected, re);
    return re;
  }

  private stringMatches(expected: string, actual: string): boolean {
    if (expected === actual) return true;
    const re = this.pattern(expected);
    return re !== null && re.test(actual);
  }

  /** True if the expected value is a wildcard for any value at this key. */
  private isWildcard(expected: Json, key: string | undefined): boolean {
    if (typeof expected !== 'string') return false;
    if (WHOLE_WILDCARDS.has(expected)) return true;
    // The recording replaced some header/id values by their own key ("x-amzn-RequestId": "x-amzn-RequestId").
    if (key !== undefined && expected === key && SELF_NAMED_WILDCARD_KEYS.test(key)) return true;
    if (this.wildcardTokens.includes(expected)) return true;
    return /^<(?:[^<>]|<[^<>]*>)*>$/.test(expected);
  }

  /** Compares; returns the first mismatch or undefined when they match. */
  compare(expected: Json | undefined, actual: unknown, path = '$', key?: string): Mismatch | undefined {
    if (expected === undefined) {
      return actual === undefined ? undefined : { path, expected: '(absent)', actual: show(actual) };
    }
    if (this.isWildcard(expected, key)) {
      return actual === undefined ? { path, expected: show(expected), actual: '(absent)' } : undefined;
    }
    if (actual instanceof Date) actual = actual.toISOString();
    if (typeof expected === 'string') {
      if (typeof actual === 'string' && this.stringMatches(expected, actual)) return undefined;
      if (typeof actual === 'string' && HTTP_DATE.test(expected) && HTTP_DATE.test(actual)) return undefined;
      // A placeholder may stand for a non-string value (e.g. a number the recording replaced).
      const pattern = this.pattern(expected);
      if (
        typeof actual !== 'string' &&
        actual !== undefined &&
        pattern !== null &&
        pattern.test(JSON.stringify(actual))
      ) {
        return undefined;
      }
      return { path, expected: show(expected), actual: show(actual) };
    }
    if (
      typeof actual === 'string' &&
      expected !== null &&
      typeof expected !== 'object' &&
      typeof expected !== 'string'
    ) {
      // A recorded number or boolean may stand for the JSON text of an event's input/output.
      return parseJsonText(actual) === expected
        ? undefined
        : { path, expected: show(expected), actual: show(actual) };
    }
    if (typeof actual === 'string' && (isObject(expected) || Array.isArray(expected))) {
      try {
        actual = JSON.parse(actual) as unknown;
      } catch {
        return { path, expected: show(expected), actual: show(actual) };
      }
    }
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) return { path, expected: show(expected), actual: show(actual) };
      if (actual.length !== expected.length) {
        return {
          path: `${path}.length`,
          expected: String(expected.length),
          actual: `${actual.length}: ${show(actual)}`,
        };
      }
      for (let i = 0; i < expected.length; i++) {
        const m = this.compare(expected[i], actual[i], `${path}[${i}]`);
        if (m) return m;
      }
      return undefined;
    }
    if (isObject(expected)) {
      if (!isObject(actual)) return { path, expected: show(expected), actual: show(actual) };
      for (const k of Object.keys(expected)) {
        const m = this.compare(expected[k], actual[k], `${path}.${k}`, k);
        if (m) return m;
      }
      for (const k of Object.keys(actual)) {
        if (!(k in expected) && actual[k] !== undefined)
          return { path: `${path}.${k}`, expected: '(absent)', actual: show(actual[k]) };
      }
      return undefined;
    }
    return expected === actual ? undefined : { path, expected: show(expected), actual: show(actual) };
  }
}

/** Parses a JSON text, or returns it unchanged when it is not JSON. */
export function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
