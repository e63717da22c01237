import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { clientConfig, eventually, REPO_ROOT } from './harness';

/** SDK clients for one local cloud. */
export interface Clients {
  sfn: SFNClient;
  sqs: SQSClient;
  events: EventBridgeClient;
}

export const createClients = (endpoint: string): Clients => ({
  sfn: new SFNClient(clientConfig(endpoint)),
  sqs: new SQSClient(clientConfig(endpoint)),
  events: new EventBridgeClient(clientConfig(endpoint)),
});

export const destroyClients = (clients: Clients): void => {
  clients.sfn.destroy();
  clients.sqs.destroy();
  clients.events.destroy();
};

/** The ARN of the state machine named `name` (found through ListStateMachines, as a user would). */
export const stateMachineArn = async (clients: Clients, name: string): Promise<string> => {
  const { stateMachines } = await clients.sfn.send(new ListStateMachinesCommand({}));
  const arn = stateMachines?.find((m) => m.name === name)?.stateMachineArn;
  if (arn === undefined) throw new Error(`state machine ${name} not found`);
  return arn;
};

/** A sample order from samples/events with its orderId made unique, as PutEvents entries. */
export const sampleOrder = (
  file: 'order-auto-approved.json' | 'order-needs-approval.json' | 'order-invalid.json',
  orderId: string,
): { Source: string; DetailType: string; Detail: string; EventBusName: string }[] => {
  const entries = JSON.parse(readFileSync(path.join(REPO_ROOT, 'samples/events', file), 'utf8')) as {
    Source: string;
    DetailType: string;
    Detail: string;
    EventBusName: string;
  }[];
  return entries.map((entry) => ({
    ...entry,
    Detail: JSON.stringify({ ...(JSON.parse(entry.Detail) as object), orderId }),
  }));
};

export const publish = async (clients: Clients, entries: ReturnType<typeof sampleOrder>): Promise<void> => {
  const result = await clients.events.send(new PutEventsCommand({ Entries: entries }));
  if ((result.FailedEntryCount ?? 0) > 0)
    throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
};

/** Waits for the execution of `machineArn` whose input mentions `orderId`. */
export const executionFor = (clients: Clients, machineArn: string, orderId: string): Promise<string> =>
  eventually(async () => {
    const { executions } = await clients.sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
    for (const execution of executions ?? []) {
      const described = await clients.sfn.send(
        new DescribeExecutionCommand({ executionArn: execution.executionArn }),
      );
      if (described.input?.includes(`"${orderId}"`) === true) return execution.executionArn;
    }
    return undefined;
  }, `an execution for order ${orderId}`);

export const history = async (clients: Clients, executionArn: string): Promise<HistoryEvent[]> => {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, ...(nextToken === undefined ? {} : { nextToken }) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
};

/** Names of the states entered, in order. */
export const statesEntered = (events: readonly HistoryEvent[]): string[] =>
  events.flatMap((e) =>
    e.stateEnteredEventDetails?.name === undefined ? [] : [e.stateEnteredEventDetails.name],
  );

/** Waits until the execution leaves RUNNING. */
export const finished = (
  clients: Clients,
  executionArn: string,
  timeoutMs = 90_000,
): Promise<DescribeExecutionCommandOutput> =>
  eventually(
    async () => {
      const described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    },
    `execution ${executionArn} to finish`,
    timeoutMs,
  );

/** One event delivered to the observer queue. */
export interface ObservedEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
}

/**
 * A queue receiving every event of the given sources on the orders bus, through a rule created with the
 * EventBridge API (PutRule + PutTargets), as a downstream system would subscribe.
 */
export const observeBus = async (
  clients: Clients,
  name: string,
  sources: readonly string[],
): Promise<{ queueUrl: string; received: ObservedEvent[]; poll: () => Promise<ObservedEvent[]> }> => {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  const queueUrl = QueueUrl ?? '';
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await clients.events.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: 'orders',
      EventPattern: JSON.stringify({ source: sources }),
    }),
  );
  await clients.events.send(
    new PutTargetsCommand({
      Rule: name,
      EventBusName: 'orders',
      Targets: [{ Id: 'observer', Arn: Attributes?.['QueueArn'] ?? '' }],
    }),
  );
  const received: ObservedEvent[] = [];
  const poll = async (): Promise<ObservedEvent[]> => {
    const { Messages } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages !== undefined && Messages.length > 0) {
      received.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}') as ObservedEvent));
      await clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    return received;
  };
  return { queueUrl, received, poll };
};

/** Waits until the observer saw an event matching `predicate`. */
export const observed = (
  observer: Awaited<ReturnType<typeof observeBus>>,
  predicate: (event: ObservedEvent) => boolean,
  what: string,
): Promise<ObservedEvent> =>
  eventually(async () => (await observer.poll()).find(predicate), what, 90_000, 200);

/** The task token handed to the AwaitApproval task (from its TaskScheduled parameters, as AWS records them). */
export const approvalToken = (events: readonly HistoryEvent[]): string | undefined => {
  const scheduled = events.find(
    (e) =>
      e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resource === 'sendMessage.waitForTaskToken',
  );
  const parameters = scheduled?.taskScheduledEventDetails?.parameters;
  if (parameters === undefined) return undefined;
  const body = (JSON.parse(parameters) as { MessageBody?: unknown }).MessageBody;
  const message = (typeof body === 'string' ? JSON.parse(body) : body) as { taskToken?: string } | undefined;
  return message?.taskToken;
};

/**
 * Waits until the execution's AwaitApproval task submitted its message and returns the history; fails at once
 * (with the execution's error and cause) if the execution ended instead.
 */
export const waitingForApproval = async (clients: Clients, executionArn: string): Promise<HistoryEvent[]> => {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const events = await history(clients, executionArn);
    if (events.some((e) => e.type === 'TaskSubmitted')) return events;
    const described = await clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') {
      throw new Error(
        `${executionArn} ended ${described.status ?? ''} before AwaitApproval: ${described.error ?? ''} ${described.cause ?? ''}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`${executionArn} did not reach AwaitApproval within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** An approver's decision on a waiting AwaitApproval task, as approval-api sends it: SendTaskSuccess with the token. */
export const decide = async (
  clients: Clients,
  taskToken: string,
  decision: { approvalId: string; decision: 'approve' | 'reject'; approver: string; comment: string },
): Promise<void> => {
  await clients.sfn.send(
    new SendTaskSuccessCommand({
      taskToken,
      output: JSON.stringify({ ...decision, decidedAt: new Date().toISOString(), channel: 'http' }),
    }),
  );
};
