/**
 * Normalisations the recording missed. The recorded tests replaced their random names with placeholders through
 * transformers (README.md: "Each string in `transformers[].replacement` stands for what the test replaced"), and
 * the corpus replayed the same names with deterministic ids; where a transformer did not match every place AWS
 * printed the name, the random id stayed in the recording. Each rule here is that one omission, named, narrow (one
 * pattern, in the fields it names) and backed by the recorded test's code. It does not make the text a wildcard:
 * the random id is replaced by the replayable input's id, so the engine must still produce exactly that text.
 */
import type { ConformanceCase, Json } from './cases';

/** One omission of the recording's transformers. */
export interface MissedNormalisation {
  readonly name: string;
  /** Why the recording holds the random id, and the evidence. */
  readonly evidence: string;
  /** The keys whose string values are fixed. */
  readonly keys: ReadonlySet<string>;
  /** The replacement for this case, or undefined when the rule does not apply to it. */
  replacement(c: ConformanceCase): { readonly pattern: RegExp; readonly text: string } | undefined;
}

/**
 * error_handling `test_send_message_no_such_queue` / `..._no_catch` (localstack
 * tests/aws/services/stepfunctions/v2/error_handling/test_task_service_sqs.py): the test sets
 * `queue_url = f"http://no-such-queue-{short_uid()}"` and adds `RegexTransformer(queue_url, "<no_such_sqs_queue_url>")`.
 * AWS's cause names the unresolvable host without the scheme (`Unable to execute HTTP request:
 * no-such-queue-<short_uid>: Name or service not known`), which that transformer (it includes `http://`) does not
 * match, so the cause kept the recording run's short_uid (8 hex digits) while the input was normalised and replayed
 * with the corpus's id. The host in a `cause`/`Cause` is therefore the host of the input's queue URL.
 */
export const NO_SUCH_QUEUE_HOST: MissedNormalisation = {
  name: 'no-such-queue host in the SQS cause',
  evidence:
    'the recorded test (localstack error_handling/test_task_service_sqs.py) sets queue_url = f"http://no-such-queue-{short_uid()}" and RegexTransformer(queue_url, "<no_such_sqs_queue_url>"); AWS names the host without the scheme in the cause, which that transformer cannot match, so the recorded cause kept the recording run\'s random 8-hex short_uid while the input was normalised and replayed with the corpus\'s id. The rule puts the input URL\'s host there (exact, not a wildcard)',
  keys: new Set(['cause', 'Cause']),
  replacement(c) {
    for (const t of c.transformers) {
      const m = /^http:\/\/(no-such-queue-[0-9a-f]{8})$/.exec(t.regex ?? '');
      if (m && t.replacement === '<no_such_sqs_queue_url>') {
        return { pattern: /\bno-such-queue-[0-9a-f]{8}\b/g, text: m[1] as string };
      }
    }
    return undefined;
  },
};

/** Every missed normalisation, applied before comparing. */
export const MISSED_NORMALISATIONS: readonly MissedNormalisation[] = [NO_SUCH_QUEUE_HOST];

function fix(
  value: Json,
  key: string | undefined,
  keys: ReadonlySet<string>,
  pattern: RegExp,
  text: string,
): Json {
  if (typeof value === 'string')
    return key !== undefined && keys.has(key) ? value.replace(pattern, text) : value;
  if (Array.isArray(value)) return value.map((v) => fix(v, undefined, keys, pattern, text));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fix(v, k, keys, pattern, text);
    return out;
  }
  return value;
}

/** The case with the missed normalisations applied to what AWS answered (the case itself when none applies). */
export function withMissedNormalisations(c: ConformanceCase): ConformanceCase {
  let expected = c.expected;
  for (const rule of MISSED_NORMALISATIONS) {
    const r = rule.replacement(c);
    if (r === undefined) continue;
    expected = fix(
      expected as unknown as Json,
      undefined,
      rule.keys,
      r.pattern,
      r.text,
    ) as unknown as typeof expected;
  }
  return expected === c.expected ? c : { ...c, expected };
}
