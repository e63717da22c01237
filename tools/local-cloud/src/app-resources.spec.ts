import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalCloud } from './cloud';
import { buildPicture, type LocalPicture, type StackTemplate } from './loader';

const repoRoot = resolve(__dirname, '../../..');
const passMachine = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });
const waitMachine = JSON.stringify({
  StartAt: 'Wait',
  States: { Wait: { Type: 'Wait', Seconds: 3600, End: true } },
});

const queue = (name: string) => ({ Type: 'AWS::SQS::Queue', Properties: { QueueName: name } });
const machine = (name: string, definition: string) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { StateMachineName: name, DefinitionString: definition },
});
const rule = (name: string, bus: string | undefined, targetIds: readonly string[]) => ({
  Type: 'AWS::Events::Rule',
  Properties: {
    Name: name,
    ...(bus === undefined ? {} : { EventBusName: bus }),
    EventPattern: { source: ['app'] },
    Targets: targetIds.map((id) => ({ Id: id, Arn: { 'Fn::GetAtt': ['Kept', 'Arn'] } })),
  },
});

/** Version 1 of an app: two queues, a table, two state machines, a bus with a rule and an archive, a rule on default. */
const v1: StackTemplate = {
  stackName: 'App',
  template: {
    Resources: {
      Kept: queue('kept'),
      Gone: queue('gone'),
      Empty: queue('gone-empty'),
      Items: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'old-items',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
      KeptFlow: machine('KeptFlow', passMachine),
      OldFlow: machine('OldFlow', waitMachine),
      OldBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'old-bus' } },
      OldRule: rule('old-rule', 'old-bus', ['q']),
      OldArchive: {
        Type: 'AWS::Events::Archive',
        Properties: { ArchiveName: 'old-archive', SourceArn: { 'Fn::GetAtt': ['OldBus', 'Arn'] } },
      },
      KeptRule: rule('kept-rule', undefined, ['first', 'second']),
    },
  },
};

/** Version 2: only the kept queue, state machine and rule (with one target less). */
const v2: StackTemplate = {
  stackName: 'App',
  template: {
    Resources: {
      Kept: queue('kept'),
      KeptFlow: machine('KeptFlow', passMachine),
      KeptRule: rule('kept-rule', undefined, ['first']),
    },
  },
};

const pictureOf = (stack: StackTemplate): LocalPicture =>
  buildPicture([stack], {
    accountId: '000000000000',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4566',
  });

describe('LocalCloud start: resources removed from the app', () => {
  let dataDir: string;
  let cloud: LocalCloud | undefined;
  const lines: string[] = [];

  const start = async (stack: StackTemplate): Promise<LocalCloud> => {
    cloud = await LocalCloud.start({
      appDir: repoRoot,
      dataDir,
      picture: pictureOf(stack),
      eventSourceMappings: false,
      log: (line) => lines.push(line),
    });
    return cloud;
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-cloud-prune-'));
    lines.length = 0;
  });

  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('drops them at the next start, saving the messages, items and archived events they held', async () => {
    // Arrange: v1 with data in the resources that go away, plus a queue created through the API
    const first = await start(v1);
    first.sqs.sendMessage({ QueueUrl: first.sqs.queueUrl('gone'), MessageBody: 'one' });
    first.sqs.sendMessage({ QueueUrl: first.sqs.queueUrl('gone'), MessageBody: 'two' });
    first.sqs.createQueue({ QueueName: 'made-by-hand' });
    await first.dynamodb.sdkClient.send(
      new PutItemCommand({ TableName: 'old-items', Item: { pk: { S: 'a' }, note: { S: 'keep me' } } }),
    );
    first.events.putEvents({
      Entries: [{ Source: 'app', DetailType: 'Thing', Detail: '{"n":1}', EventBusName: 'old-bus' }],
    });
    const oldFlowArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:OldFlow';
    const running = await first.engine.startExecution({ stateMachineArn: oldFlowArn, input: '{}' });
    await first.close();
    cloud = undefined;
    lines.length = 0;

    // Act
    const second = await start(v2);

    // Assert: what is left
    expect(second.sqs.stats().map((q) => q.name)).toStrictEqual(['kept', 'made-by-hand']);
    const { TableNames } = await second.dynamodb.sdkClient.send(new ListTablesCommand({}));
    expect(TableNames).toStrictEqual([]);
    const machines = (await second.engine.listStateMachines({})).stateMachines.map((m) => m.name);
    expect(machines).toStrictEqual(['KeptFlow']);
    expect(second.events.listEventBuses().EventBuses.map((b) => b.Name)).toStrictEqual(['default']);
    expect(second.events.listArchives().Archives).toStrictEqual([]);
    expect(second.events.listTargetsByRule({ Rule: 'kept-rule' }).Targets.map((t) => t.Id)).toStrictEqual([
      'first',
    ]);
    // The execution of the removed state machine runs on, as on AWS.
    expect((await second.engine.describeExecution({ executionArn: running.executionArn })).status).toBe(
      'RUNNING',
    );

    // Assert: what was saved, and said
    const [stamp] = readdirSync(join(dataDir, 'removed'));
    const saved = join(dataDir, 'removed', stamp ?? '');
    expect(readdirSync(saved).sort()).toStrictEqual([
      'archive-old-archive.json',
      'dynamodb-old-items.json',
      'sqs-gone.json',
    ]);
    const messages = JSON.parse(readFileSync(join(saved, 'sqs-gone.json'), 'utf8')) as { body: string }[];
    expect(messages.map((m) => m.body)).toStrictEqual(['one', 'two']);
    expect(JSON.parse(readFileSync(join(saved, 'dynamodb-old-items.json'), 'utf8'))).toStrictEqual([
      { pk: { S: 'a' }, note: { S: 'keep me' } },
    ]);
    const archived = JSON.parse(readFileSync(join(saved, 'archive-old-archive.json'), 'utf8')) as {
      detail: unknown;
    }[];
    expect(archived.map((e) => e.detail)).toStrictEqual([{ n: 1 }]);
    expect(lines.filter((line) => line.startsWith('prune: ')).sort()).toStrictEqual(
      [
        `prune: dropped queue gone (no longer in the app); its 2 messages saved to ${join(saved, 'sqs-gone.json')}`,
        'prune: dropped queue gone-empty (no longer in the app)',
        'prune: dropped rule old-bus/old-rule (no longer in the app)',
        `prune: dropped archive old-archive (no longer in the app); its 1 events saved to ${join(saved, 'archive-old-archive.json')}`,
        'prune: dropped bus old-bus (no longer in the app)',
        `prune: dropped stateMachine ${oldFlowArn} (no longer in the app); 1 running executions continue to their end`,
        `prune: dropped table old-items (no longer in the app); its 1 items saved to ${join(saved, 'dynamodb-old-items.json')}`,
        'prune: dropped ruleTarget default/kept-rule/second (no longer in the app)',
      ].sort(),
    );
  });

  it('prunes nothing on a data folder without a record of the app (first start, or an older folder)', async () => {
    // Arrange
    const first = await start(v1);
    await first.close();
    cloud = undefined;
    rmSync(join(dataDir, 'app-resources.json'));
    lines.length = 0;

    // Act
    const second = await start(v2);

    // Assert
    expect(second.sqs.stats().map((q) => q.name)).toStrictEqual(['gone', 'gone-empty', 'kept']);
    expect(lines.filter((line) => line.startsWith('prune: '))).toStrictEqual([]);
    expect(existsSync(join(dataDir, 'removed'))).toBe(false);
    expect(existsSync(join(dataDir, 'app-resources.json'))).toBe(true);
  });
});
