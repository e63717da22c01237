import { readFileSync } from 'node:fs';
import {
  DescribeStateMachineCommand,
  TestStateCommand,
  type TestStateCommandInput,
  type TestStateCommandOutput,
} from '@aws-sdk/client-sfn';
import { type CliClients } from './clients';

/** What `local-cloud test-state` was asked for. */
export interface TestStateOptions {
  /** A file with the state's (or a state machine's) definition; `-` reads it from stdin. */
  readonly file?: string;
  /** A deployed state machine (name or ARN) whose definition to test a state of (with `stateName`). */
  readonly stateMachine?: string;
  readonly stateName?: string;
  readonly input?: string;
  readonly inspectionLevel?: string;
  /** The `mock` member as JSON text, as `aws stepfunctions test-state --mock` takes it. */
  readonly mock?: string;
  readonly variables?: string;
  readonly context?: string;
  readonly roleArn?: string;
}

const LEVELS = ['INFO', 'DEBUG', 'TRACE'];
/** The role a Task without a mock runs with (the local cloud accepts any). */
const DEFAULT_ROLE = 'arn:aws:iam::000000000000:role/local-cloud-test-state';

const jsonArgument = (name: string, text: string | undefined): void => {
  if (text === undefined) return;
  try {
    JSON.parse(text);
  } catch {
    throw new Error(`--${name} must be JSON text.`);
  }
};

/** The TestState request for the options (the definition already read). */
export const testStateRequest = (o: TestStateOptions, definition: string): TestStateCommandInput => {
  const level = o.inspectionLevel?.toUpperCase() ?? 'DEBUG';
  if (!LEVELS.includes(level)) throw new Error(`--inspection-level must be one of ${LEVELS.join(', ')}.`);
  for (const [name, value] of [
    ['input', o.input],
    ['variables', o.variables],
    ['context', o.context],
    ['mock', o.mock],
  ] as const) {
    jsonArgument(name, value);
  }
  return {
    definition,
    inspectionLevel: level as 'INFO' | 'DEBUG' | 'TRACE',
    input: o.input ?? '{}',
    roleArn: o.roleArn ?? DEFAULT_ROLE,
    ...(o.stateName === undefined ? {} : { stateName: o.stateName }),
    ...(o.variables === undefined ? {} : { variables: o.variables }),
    ...(o.context === undefined ? {} : { context: o.context }),
    ...(o.mock === undefined ? {} : { mock: JSON.parse(o.mock) as TestStateCommandInput['mock'] }),
  };
};

/** JSON text pretty-printed (left as is when it is not JSON). */
const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** The answer for a terminal: status, next state, error, output, then each inspection step. */
export const formatTestState = (out: Omit<TestStateCommandOutput, '$metadata'>): string => {
  const lines = [`Status: ${out.status ?? ''}`];
  if (out.nextState !== undefined) lines.push(`Next state: ${out.nextState}`);
  if (out.error !== undefined) lines.push(`Error: ${out.error}`);
  if (out.cause !== undefined) lines.push(`Cause: ${out.cause}`);
  if (out.output !== undefined) lines.push('Output:', pretty(out.output));
  const data = out.inspectionData;
  if (data !== undefined) {
    lines.push('Inspection data:');
    for (const [key, value] of Object.entries(data)) {
      if (value === undefined) continue;
      const shown = typeof value === 'string' ? pretty(value) : JSON.stringify(value, null, 2);
      lines.push(`  ${key}: ${shown.replace(/\n/g, '\n  ')}`);
    }
  }
  return lines.join('\n');
};

const readDefinition = async (clients: CliClients, o: TestStateOptions): Promise<string> => {
  if (o.stateMachine !== undefined) {
    const arn = o.stateMachine.startsWith('arn:')
      ? o.stateMachine
      : `arn:aws:states:${process.env['AWS_REGION'] ?? 'us-east-1'}:000000000000:stateMachine:${o.stateMachine}`;
    const described = await clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    return described.definition ?? '';
  }
  if (o.file === undefined) throw new Error('test-state: give a definition file (or -) or --state-machine.');
  return readFileSync(o.file === '-' ? 0 : o.file, 'utf8');
};

/**
 * `test-state <file|-> | --state-machine <name> --state-name <state>`: TestState on the local endpoint, the
 * answer formatted for a terminal.
 */
export const testState = async (clients: CliClients, o: TestStateOptions): Promise<string> => {
  const definition = await readDefinition(clients, o);
  const { $metadata: _metadata, ...out } = await clients.sfn.send(
    new TestStateCommand(testStateRequest(o, definition)),
  );
  return formatTestState(out);
};
