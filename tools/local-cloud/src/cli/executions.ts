import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type CliClients } from './clients';
import { bold, dim, oneLine, status, table, timestamp } from './format';

const listAll = async (clients: CliClients, statusFilter?: ExecutionStatus): Promise<ExecutionListItem[]> => {
  const machines = await clients.sfn.send(new ListStateMachinesCommand({}));
  const all: ExecutionListItem[] = [];
  for (const machine of machines.stateMachines ?? []) {
    let nextToken: string | undefined;
    do {
      const page = await clients.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: machine.stateMachineArn,
          ...(statusFilter === undefined ? {} : { statusFilter }),
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
      all.push(...(page.executions ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return all.sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
};

/** `executions [--status S]`: every execution of every state machine, newest first. */
export const listExecutions = async (clients: CliClients, statusFilter?: string): Promise<string> => {
  const executions = await listAll(clients, statusFilter as ExecutionStatus | undefined);
  if (executions.length === 0) return dim('No executions.');
  return table(
    ['STARTED', 'STATUS', 'STATE MACHINE', 'NAME'],
    executions.map((e) => [
      timestamp(e.startDate),
      status(e.status ?? ''),
      e.stateMachineArn?.split(':').pop() ?? '',
      e.name ?? '',
    ]),
  );
};

/** Finds an execution ARN from an ARN or an execution name. */
export const resolveExecutionArn = async (clients: CliClients, arnOrName: string): Promise<string> => {
  if (arnOrName.startsWith('arn:')) return arnOrName;
  const found = (await listAll(clients)).filter((e) => e.name === arnOrName);
  const first = found[0];
  if (first?.executionArn === undefined) throw new Error(`No execution named '${arnOrName}'.`);
  if (found.length > 1)
    throw new Error(`Several executions are named '${arnOrName}': pass the execution ARN.`);
  return first.executionArn;
};

/** The one-line summary of a history event's details. */
export const eventSummary = (event: HistoryEvent): { state: string; detail: string } => {
  const details = Object.entries(event).find(
    ([key, value]) => key.endsWith('EventDetails') && value !== undefined,
  );
  const value = (details?.[1] ?? {}) as Record<string, unknown>;
  const state = typeof value['name'] === 'string' ? value['name'] : '';
  const parts: string[] = [];
  for (const key of ['resourceType', 'resource', 'error', 'cause', 'output', 'input', 'result']) {
    const member = value[key];
    if (typeof member === 'string' && member !== '') parts.push(`${key}=${member}`);
  }
  return { state, detail: oneLine(parts.join(' '), 110) };
};

/** `execution <arn|name>`: DescribeExecution and the history as a table. */
export const showExecution = async (clients: CliClients, arnOrName: string): Promise<string> => {
  const executionArn = await resolveExecutionArn(clients, arnOrName);
  const execution = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, ...(nextToken === undefined ? {} : { nextToken }) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  const start = execution.startDate?.getTime() ?? 0;
  const lines = [
    `${bold(execution.name ?? '')}  ${status(execution.status ?? '')}`,
    dim(executionArn),
    `started ${timestamp(execution.startDate)}${execution.stopDate ? `, stopped ${timestamp(execution.stopDate)}` : ''}`,
  ];
  if (execution.input !== undefined) lines.push(`input   ${oneLine(execution.input, 200)}`);
  if (execution.output !== undefined) lines.push(`output  ${oneLine(execution.output, 200)}`);
  if (execution.error !== undefined) lines.push(`error   ${execution.error}`);
  if (execution.cause !== undefined) lines.push(`cause   ${oneLine(execution.cause, 300)}`);
  lines.push(
    '',
    table(
      ['ID', '+MS', 'TYPE', 'STATE', 'DETAIL'],
      events.map((event) => {
        const { state, detail } = eventSummary(event);
        return [
          String(event.id ?? ''),
          String((event.timestamp?.getTime() ?? start) - start),
          event.type ?? '',
          state,
          detail,
        ];
      }),
    ),
  );
  return lines.join('\n');
};

/** `redrive <arn|name>` */
export const redrive = async (clients: CliClients, arnOrName: string): Promise<string> => {
  const executionArn = await resolveExecutionArn(clients, arnOrName);
  const result = await clients.sfn.send(new RedriveExecutionCommand({ executionArn }));
  return `Redriven ${executionArn} at ${timestamp(result.redriveDate)}`;
};
