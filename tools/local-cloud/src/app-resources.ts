import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AttributeValue,
  DeleteTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { type EventBridgeService } from './events';
import { type LocalPicture } from './loader';
import { type SqsService } from './sqs';

/**
 * The resources the CDK app created in the data folder at the last start, by identity. Resources created through
 * the API (a queue made with `aws sqs create-queue`, a state machine from CreateStateMachine) are never listed, so they
 * are never pruned.
 */
export interface AppResources {
  readonly version: 1;
  readonly queues: readonly string[];
  readonly stateMachines: readonly string[];
  readonly buses: readonly string[];
  /** `<bus>/<rule>`. */
  readonly rules: readonly string[];
  /** Target ids of each rule, by `<bus>/<rule>`. */
  readonly ruleTargets: Readonly<Record<string, readonly string[]>>;
  readonly archives: readonly string[];
  readonly tables: readonly string[];
}

/** What {@link pruneRemovedResources} needs of the engine (`@flow/asl-engine`'s `Engine` satisfies it). */
export interface StateMachineStore {
  deleteStateMachine(i: { stateMachineArn: string }): Promise<void>;
  listExecutions(i: {
    stateMachineArn: string;
    statusFilter: 'RUNNING';
    maxResults: number;
  }): Promise<{ executions: readonly unknown[] }>;
  describeStateMachine(i: { stateMachineArn: string }): Promise<unknown>;
}

/** The services that hold the app's resources. */
export interface PruneTargets {
  readonly sqs: SqsService;
  readonly events: EventBridgeService;
  readonly engine: StateMachineStore;
  readonly dynamodb: DynamoDBClient;
}

/** One resource dropped (or target removed) because the app no longer has it. */
export interface PrunedResource {
  readonly kind: 'queue' | 'stateMachine' | 'bus' | 'rule' | 'ruleTarget' | 'archive' | 'table';
  readonly name: string;
  /** Messages, archived events or items it held, saved before it was dropped. */
  readonly saved?: { readonly count: number; readonly file: string };
  /** Executions of a removed state machine still running (they run to their end, as on AWS). */
  readonly runningExecutions?: number;
}

const MANIFEST = 'app-resources.json';
/** Where the data of dropped resources goes: `<dataDir>/removed/<timestamp>/`. */
const REMOVED_DIR = 'removed';

/** The app's resources in a picture. */
export const appResourcesOf = (picture: LocalPicture): AppResources => ({
  version: 1,
  queues: picture.queues.map((q) => q.queueName),
  stateMachines: picture.stateMachines.map((m) => m.stateMachineArn),
  buses: picture.buses.filter((b) => b.name !== 'default').map((b) => b.name),
  rules: picture.rules.map((r) => `${r.eventBusName}/${r.name}`),
  ruleTargets: Object.fromEntries(
    picture.rules.map((r) => [`${r.eventBusName}/${r.name}`, r.targets.map((t) => t.Id)]),
  ),
  archives: picture.archives.map((a) => a.archiveName),
  tables: picture.tables.map((t) => t.tableName),
});

const readManifest = async (
  dataDir: string,
  log: (line: string) => void,
): Promise<AppResources | undefined> => {
  const file = join(dataDir, MANIFEST);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<AppResources>;
    if (parsed.version !== 1) throw new Error(`unknown version ${String(parsed.version)}`);
    return {
      version: 1,
      queues: parsed.queues ?? [],
      stateMachines: parsed.stateMachines ?? [],
      buses: parsed.buses ?? [],
      rules: parsed.rules ?? [],
      ruleTargets: parsed.ruleTargets ?? {},
      archives: parsed.archives ?? [],
      tables: parsed.tables ?? [],
    };
  } catch (error) {
    log(
      `prune: ignoring ${file} (${error instanceof Error ? error.message : String(error)}); nothing is pruned this start`,
    );
    return undefined;
  }
};

/** Writes the manifest atomically (a kill mid-write leaves the old one). */
const writeManifest = async (dataDir: string, resources: AppResources): Promise<void> => {
  const file = join(dataDir, MANIFEST);
  await writeFile(`${file}.tmp`, `${JSON.stringify(resources, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
};

const removedFrom = (before: readonly string[], now: readonly string[]): string[] => {
  const current = new Set(now);
  return before.filter((name) => !current.has(name));
};

/** Whether a lookup finds its resource (the services throw their not-found errors). */
const found = (lookup: () => unknown): boolean => {
  try {
    lookup();
    return true;
  } catch {
    return false;
  }
};

const safeFileName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_');

const scanAll = async (client: DynamoDBClient, tableName: string): Promise<unknown[]> => {
  const items: unknown[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
};

/**
 * Drops from the data folder the resources the CDK app had at the last start but no longer has (queues, state
 * machines, buses, rules and their removed targets, archives, tables), as a deployment deletes what was removed from
 * the stack. Nothing holding data is dropped silently: the messages of a queue, the events of an archive and the items
 * of a table are first saved as JSON under `<dataDir>/removed/<timestamp>/`, and every drop is logged. Executions of a
 * removed state machine keep running to their end (as on AWS) and keep their history. Then records the app's current
 * resources for the next start.
 *
 * Resources created through the API are never touched (only what the app created is recorded). The first start on a
 * data folder without a record prunes nothing.
 */
export const pruneRemovedResources = async (options: {
  readonly dataDir: string;
  readonly picture: LocalPicture;
  readonly targets: PruneTargets;
  readonly log: (line: string) => void;
  /** For the name of the folder saved data goes to (default: now). */
  readonly now?: Date;
}): Promise<PrunedResource[]> => {
  const { dataDir, picture, targets, log } = options;
  const current = appResourcesOf(picture);
  const previous = await readManifest(dataDir, log);
  const pruned: PrunedResource[] = [];
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const saveDir = join(dataDir, REMOVED_DIR, stamp);
  const save = async (name: string, values: readonly unknown[]): Promise<PrunedResource['saved']> => {
    if (values.length === 0) return undefined;
    await mkdir(saveDir, { recursive: true });
    const file = join(saveDir, `${safeFileName(name)}.json`);
    await writeFile(file, `${JSON.stringify(values, null, 2)}\n`);
    return { count: values.length, file };
  };
  const record = (resource: PrunedResource, what: string): void => {
    pruned.push(resource);
    const saved =
      resource.saved === undefined
        ? ''
        : `; its ${resource.saved.count} ${what} saved to ${resource.saved.file}`;
    const running =
      resource.runningExecutions === undefined || resource.runningExecutions === 0
        ? ''
        : `; ${resource.runningExecutions} running executions continue to their end`;
    log(`prune: dropped ${resource.kind} ${resource.name} (no longer in the app)${saved}${running}`);
  };

  /** Drops that failed stay recorded, so the next start tries again; the start itself goes on. */
  const failed: Record<'queues' | 'rules' | 'archives' | 'buses' | 'stateMachines' | 'tables', string[]> = {
    queues: [],
    rules: [],
    archives: [],
    buses: [],
    stateMachines: [],
    tables: [],
  };
  const attempt = async (
    kind: keyof typeof failed,
    name: string,
    drop: () => Promise<void>,
  ): Promise<void> => {
    try {
      await drop();
    } catch (error) {
      failed[kind].push(name);
      log(`prune: could not drop ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  if (previous !== undefined) {
    const { sqs, events, engine, dynamodb } = targets;
    const queueNames = new Set(sqs.stats().map((q) => q.name));
    for (const name of removedFrom(previous.queues, current.queues)) {
      if (!queueNames.has(name)) continue;
      await attempt('queues', name, async () => {
        const saved = await save(`sqs-${name}`, sqs.peek(name, { limit: Number.POSITIVE_INFINITY }));
        sqs.deleteQueue({ QueueUrl: sqs.queueUrl(name) });
        record({ kind: 'queue', name, ...(saved === undefined ? {} : { saved }) }, 'messages');
      });
    }
    for (const key of removedFrom(previous.rules, current.rules)) {
      const slash = key.indexOf('/');
      const [bus, name] = [key.slice(0, slash), key.slice(slash + 1)];
      if (!found(() => events.describeRule({ Name: name, EventBusName: bus }))) continue;
      await attempt('rules', key, async () => {
        events.deleteRule({ Name: name, EventBusName: bus, Force: true });
        record({ kind: 'rule', name: key }, 'targets');
      });
    }
    for (const name of removedFrom(previous.archives, current.archives)) {
      if (!found(() => events.describeArchive({ ArchiveName: name }))) continue;
      await attempt('archives', name, async () => {
        const saved = await save(`archive-${name}`, events.archivedEvents(name));
        events.deleteArchive({ ArchiveName: name });
        record({ kind: 'archive', name, ...(saved === undefined ? {} : { saved }) }, 'events');
      });
    }
    for (const name of removedFrom(previous.buses, current.buses)) {
      if (!events.listEventBuses({ NamePrefix: name }).EventBuses.some((b) => b.Name === name)) continue;
      await attempt('buses', name, async () => {
        events.deleteEventBus({ Name: name });
        record({ kind: 'bus', name }, 'rules');
      });
    }
    for (const arn of removedFrom(previous.stateMachines, current.stateMachines)) {
      try {
        await engine.describeStateMachine({ stateMachineArn: arn });
      } catch {
        continue;
      }
      await attempt('stateMachines', arn, async () => {
        const { executions } = await engine.listExecutions({
          stateMachineArn: arn,
          statusFilter: 'RUNNING',
          maxResults: 1000,
        });
        await engine.deleteStateMachine({ stateMachineArn: arn });
        record({ kind: 'stateMachine', name: arn, runningExecutions: executions.length }, 'executions');
      });
    }
    for (const name of removedFrom(previous.tables, current.tables)) {
      await attempt('tables', name, async () => {
        let items: unknown[];
        try {
          items = await scanAll(dynamodb, name);
        } catch (error) {
          if (error instanceof ResourceNotFoundException) return;
          throw error;
        }
        const saved = await save(`dynamodb-${name}`, items);
        await dynamodb.send(new DeleteTableCommand({ TableName: name }));
        record({ kind: 'table', name, ...(saved === undefined ? {} : { saved }) }, 'items');
      });
    }
    // Targets the app removed from a rule it still has (PutTargets only adds and updates); targets added through
    // the API are not the app's and stay.
    for (const rule of picture.rules) {
      const key = `${rule.eventBusName}/${rule.name}`;
      const stale = removedFrom(previous.ruleTargets[key] ?? [], current.ruleTargets[key] ?? []);
      const existing = new Set(
        found(() => events.describeRule({ Name: rule.name, EventBusName: rule.eventBusName }))
          ? events
              .listTargetsByRule({ Rule: rule.name, EventBusName: rule.eventBusName })
              .Targets.map((t) => t.Id)
          : [],
      );
      const ids = stale.filter((id) => existing.has(id));
      if (ids.length === 0) continue;
      events.removeTargets({ Rule: rule.name, EventBusName: rule.eventBusName, Ids: ids });
      for (const id of ids) record({ kind: 'ruleTarget', name: `${key}/${id}` }, '');
    }
  }

  await writeManifest(dataDir, {
    ...current,
    queues: [...current.queues, ...failed.queues],
    rules: [...current.rules, ...failed.rules],
    archives: [...current.archives, ...failed.archives],
    buses: [...current.buses, ...failed.buses],
    stateMachines: [...current.stateMachines, ...failed.stateMachines],
    tables: [...current.tables, ...failed.tables],
  });
  return pruned;
};
