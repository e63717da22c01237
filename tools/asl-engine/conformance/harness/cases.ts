/**
 * The conformance corpus (cases.jsonl, recorded against AWS Step Functions): loading, and which cases this engine
 * can run (and, for the rest, why not).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A JSON value as stored in the corpus. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A Lambda function's recorded behaviour. */
export interface LambdaBehaviour {
  readonly kind: string;
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly value?: Json;
  readonly text?: string;
  readonly char?: string;
  readonly length?: number;
  readonly template?: string;
}

/** A resource the recorded test created. */
export interface CaseResource {
  readonly kind: string;
  readonly name?: string;
  readonly arn?: string;
  readonly url?: string;
  readonly fixture?: string;
  readonly behaviour?: LambdaBehaviour;
  readonly kwargs?: Record<string, Json>;
}

/** A transformer the recording applied: its replacement is a wildcard. */
export interface CaseTransformer {
  readonly regex?: string;
  readonly jsonpath?: string;
  readonly replacement: string;
}

/** What AWS answered. */
export interface CaseExpectation {
  readonly status: string;
  readonly output?: Json;
  readonly error?: string | null;
  readonly cause?: Json;
  readonly history_types?: string[];
  readonly events?: Json[];
}

/** One recorded case. */
export interface ConformanceCase {
  readonly id: string;
  readonly category: string;
  readonly subset: string;
  readonly kind: 'output' | 'history' | 'describe' | 'sync' | 'test_state';
  readonly api: 'StartExecution' | 'StartSyncExecution' | 'TestState';
  readonly sm_type: 'STANDARD' | 'EXPRESS';
  readonly definition: string;
  readonly input: string;
  readonly expected: CaseExpectation;
  readonly resources: CaseResource[];
  readonly transformers: CaseTransformer[];
  readonly features: { readonly services: string[] } & Record<string, Json>;
  /** When the test was recorded against AWS (`DD-MM-YYYY, hh:mm:ss`). */
  readonly recorded_date?: string;
  readonly needs: string[];
}

/** The corpus file, kept beside this harness with its notice (README.md). */
export const CASES_FILE = path.join(__dirname, '..', 'cases.jsonl');
/** Known failures: case id → reason. */
export const ALLOWLIST_FILE = path.join(__dirname, '..', 'allowlist.json');

/** Reads every case of the corpus. */
export function loadCases(file = CASES_FILE): ConformanceCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ConformanceCase);
}

/** Reads the allowlist (case id → reason). */
export function loadAllowlist(file = ALLOWLIST_FILE): Record<string, string> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

const SERVICE_NAMES: Readonly<Record<string, string>> = {
  s3: 'Amazon S3',
  'aws-sdk:s3': 'Amazon S3 (AWS SDK integration)',
  sns: 'Amazon SNS',
  dynamodb: 'Amazon DynamoDB',
  'aws-sdk:dynamodb': 'Amazon DynamoDB (AWS SDK integration)',
  sfn: 'an execution of another state machine that the recorded test created (its definition is not in the case)',
  activity: 'Step Functions activities (GetActivityTask workers)',
};

/** Why a case cannot run on this engine, or undefined when it can. */
export function skipReason(c: ConformanceCase): string | undefined {
  // TestState cases run through the engine's testState (harness/test-state-runner.ts).
  if (c.api === 'TestState') return undefined;
  const kinds = new Set(c.resources.map((r) => r.kind));
  if (kinds.has('iam-cross-account'))
    return 'a Task `Credentials` role in another account: the engine rejects `Credentials` at load time, and the local cloud has one account';
  const dynamoOnly =
    c.features.services.length > 0 &&
    c.features.services.every((s) => s === 'dynamodb' || s === 'aws-sdk:dynamodb');
  if (c.subset === 'other_services' && !dynamoOnly) {
    const services = c.features.services.map((s) => SERVICE_NAMES[s] ?? s);
    if (c.features.services.includes('sfn')) return `needs ${services.join(', ')}`;
    if (c.features.services.includes('activity'))
      return `needs ${services.join(', ')}: the engine rejects an activity Resource at load time`;
    return `needs ${services.join(', ')}, which the local cloud does not serve (no local stand-in)`;
  }
  return undefined;
}
