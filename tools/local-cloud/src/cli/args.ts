import { parseArgs } from 'node:util';

/** Parsed command line of the `local-cloud` entry. */
export interface CommandLine {
  /** `serve` when no subcommand is given. */
  readonly command: string;
  readonly positionals: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
}

const OPTIONS = {
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  reset: { type: 'boolean' },
  demo: { type: 'boolean' },
  timing: { type: 'boolean' },
  endpoint: { type: 'string' },
  status: { type: 'string' },
  output: { type: 'string' },
  error: { type: 'string' },
  cause: { type: 'string' },
  function: { type: 'string' },
  execution: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  lines: { type: 'string', short: 'n' },
  user: { type: 'string' },
  ttl: { type: 'string' },
  'state-machine': { type: 'string' },
  'state-name': { type: 'string' },
  input: { type: 'string' },
  'inspection-level': { type: 'string' },
  mock: { type: 'string' },
  variables: { type: 'string' },
  context: { type: 'string' },
  'role-arn': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `argv` (without node and the script); unknown flags are an error naming the flag. */
export const parseCommandLine = (argv: readonly string[]): CommandLine => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [first, ...rest] = positionals;
  // `help` is `--help`; `show` is `execution` (what users reach for to see one execution with its history).
  if (first === 'help') return { command: 'serve', positionals: [], flags: { ...values, help: true } };
  const command = first === 'show' ? 'execution' : (first ?? 'serve');
  return { command, positionals: first === undefined ? [] : rest, flags: { ...values } };
};

/** A numeric flag, validated. */
export const intFlag = (value: string | boolean | undefined, name: string, fallback: number): number => {
  if (value === undefined || typeof value === 'boolean') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got '${value}'.`);
  return n;
};

export const USAGE = `Usage: local-cloud [serve] [--port 4566] [--data-dir .local-cloud] [--reset] [--demo] [--timing]
       local-cloud publish <file>                     PutEvents from a JSON file (array of entries)
       local-cloud executions [--status RUNNING]      list executions, newest first
       local-cloud execution <arn|name>               describe one execution with its history (alias: show)
       local-cloud send-success <token> [--output {}] SendTaskSuccess
       local-cloud send-failure <token> [--error E] [--cause C]
       local-cloud redrive <arn|name>                 RedriveExecution
       local-cloud logs [--function F] [--execution ARN] [--follow] [-n 100]
       local-cloud token --user <alice|bob|carol|dave> a JWT for the approvals API
       local-cloud test-state <file|-> | --state-machine <name> --state-name <state>
                 [--input {}] [--inspection-level INFO|DEBUG|TRACE] [--mock '{"result":"{}"}']
                 [--variables {}] [--context {}] [--role-arn ARN]    TestState: one state in isolation
Common: --endpoint http://127.0.0.1:4566 (or AWS_ENDPOINT_URL), --data-dir (token, serve)`;
