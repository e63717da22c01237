import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type Clock,
  Engine,
  EngineError,
  FileStore,
  loadDefinition,
  RealClock,
  setDefinitionValidationCache,
} from '@flow/asl-engine';
import { EnvVars, LocalIdentity } from '@flow/contracts';
import { pruneRemovedResources } from './app-resources';
import { ensureIdentityKeys } from './cli/identity';
import { EngineFeed } from './console/engine-feed';
import { LocalDynamoDb } from './dynamodb';
import { EventBridgeError, EventBridgeService } from './events';
import { LambdaLogStore, LambdaRuntime } from './lambda';
import {
  DEFAULT_APP_ENTRY,
  type FunctionSpec,
  loadPicture,
  type LocalPicture,
  type StartedSynth,
  type SynthResult,
} from './loader';
import { SqsError, SqsService } from './sqs';
import { FileDefinitionCache } from './startup/definition-cache';
import { StartupTiming } from './startup/timing';
import {
  createIntegrations,
  createTargetDispatcher,
  type IntegrationDeps,
  type LocalTargetDispatcher,
  SqsEventSourcePoller,
} from './wiring';

/** Options of {@link LocalCloud.start}. */
export interface LocalCloudOptions {
  /** State folder (default `.local-cloud`, relative to the repository root). */
  dataDir?: string;
  /** The endpoint's port on 127.0.0.1 (default 4566): queue URLs and the functions' AWS_ENDPOINT_URL use it. */
  port?: number;
  /** Start clean: drop executions, messages, table items and logs (the synth and bundle caches are kept). */
  reset?: boolean;
  /** Time source of the engine, SQS and EventBridge (a VirtualClock in tests). Default: real time. */
  clock?: Clock;
  /** The CDK app entry, relative to the repository root (default `infra/src/app.ts`). */
  appEntry?: string;
  /** Repository root (default: the current directory). */
  appDir?: string;
  /** Use this picture instead of synthesizing the app (tests, other tools). */
  picture?: LocalPicture;
  /** Synthesize even if the inputs did not change. */
  forceSynth?: boolean;
  /** Run the SQS → Lambda event source mappings (default true). */
  eventSourceMappings?: boolean;
  /** Where the cloud reports what it does (synth output, failed batches...). Default: nowhere. */
  log?: (line: string) => void;
  /** Startup phase timings (`serve --timing`). Default: silent. */
  timing?: StartupTiming;
  /**
   * The synth of `appEntry` into `<dataDir>/cdk.out`, started before the server loaded ({@link startSynth}); when
   * absent, the picture is synthesized here (cached).
   */
  synth?: StartedSynth;
  /**
   * Leave bundling the functions' handlers to {@link LocalCloud.prepareFunctions} (the server calls it once it is
   * ready). By default `start` begins it before returning. Either way an invocation waits for its own bundle.
   */
  deferFunctionBundling?: boolean;
}

/**
 * A function as it runs locally: one that trusts the local identity provider's issuer gets that provider's public
 * keys (the template carries an empty key set; tokens from `local-cloud token` are signed with the local key).
 */
const localFunction = async (fn: FunctionSpec, dataDir: string): Promise<FunctionSpec> => {
  if (fn.environment[EnvVars.JwtIssuer] !== LocalIdentity.issuer) return fn;
  const { publicJwks } = await ensureIdentityKeys(dataDir);
  return { ...fn, environment: { ...fn.environment, [EnvVars.JwtPublicJwks]: JSON.stringify(publicJwks) } };
};

const ACCOUNT_ID = '000000000000';
const REGION = 'us-east-1';
/** Files under the data folder that are caches, kept by `reset`. */
const CACHES = new Set(['cdk.out', 'cdk.out.app.cjs', 'bundles', 'cache']);

/** A definition whose validation compiles the validator's schemas (what the first real validation would pay). */
const WARM_UP_DEFINITION = JSON.stringify({ StartAt: 'Warm', States: { Warm: { Type: 'Succeed' } } });

/**
 * Compiles the definition validator's schemas while the synth runs in its own process (otherwise the first state
 * machine pays for it after the synth). Yields first, so the other start tasks have started their I/O.
 */
const warmUpValidator = async (timing: StartupTiming): Promise<void> => {
  await new Promise((resolve) => setImmediate(resolve));
  loadDefinition(WARM_UP_DEFINITION);
  timing.mark('validator compiled (during the synth)');
};

/**
 * The local cloud's composition root: synthesizes the CDK app into a {@link LocalPicture}, starts the services
 * (ASL engine on a FileStore, SQS, EventBridge, DynamoDB via dynalite, the Lambda runtime), applies the picture
 * (queues, tables, state machines, rules, event source mappings) and resumes waiting executions. The HTTP layer
 * (server/) serves these fields on one endpoint.
 */
export class LocalCloud {
  private readonly pollers: SqsEventSourcePoller[] = [];
  private closed = false;

  private constructor(
    /** The ASL engine (Step Functions API). */
    readonly engine: Engine,
    /** SQS. */
    readonly sqs: SqsService,
    /** EventBridge (buses, rules, targets, archives, replays). */
    readonly events: EventBridgeService,
    /** The Lambda runtime. */
    readonly lambda: LambdaRuntime,
    /** Captured function logs. */
    readonly logs: LambdaLogStore,
    /** dynalite. */
    readonly dynamodb: LocalDynamoDb,
    /** What was loaded from the CDK app. */
    readonly picture: LocalPicture,
    /** Absolute data folder. */
    readonly dataDir: string,
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string,
    readonly clock: Clock,
    /** Delivers rule targets (for the EventBridge service). */
    readonly targets: LocalTargetDispatcher,
    /** How the picture was synthesized (undefined when a picture was given). */
    readonly synth: SynthResult | undefined,
    private readonly store: FileStore,
    private readonly deps: IntegrationDeps,
    /** Live engine changes (history events, status changes) for the console's stream. */
    readonly engineFeed: EngineFeed = new EngineFeed(),
  ) {}

  /** Where `DynamoDB_20120810.*` requests go (dynalite on its own 127.0.0.1 port). */
  get dynamodbEndpoint(): string {
    return this.dynamodb.endpoint;
  }

  /** Starts the local cloud. */
  static async start(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    const repoRoot = resolve(options.appDir ?? process.cwd());
    const dataDir = resolve(repoRoot, options.dataDir ?? '.local-cloud');
    const port = options.port ?? 4566;
    const endpoint = `http://127.0.0.1:${port}`;
    const clock = options.clock ?? new RealClock();
    const log = options.log ?? ((): void => undefined);
    const timing = options.timing ?? new StartupTiming();
    if (options.reset === true && existsSync(dataDir)) {
      for (const entry of await readdir(dataDir)) {
        if (!CACHES.has(entry)) await rm(join(dataDir, entry), { recursive: true, force: true });
      }
    }
    await mkdir(dataDir, { recursive: true });
    // Definitions validated by an earlier start are not validated again (the validator is not even loaded).
    setDefinitionValidationCache(FileDefinitionCache.open(join(dataDir, 'cache', 'valid-definitions.json')));
    timing.mark('data folder');

    const pictureTask =
      options.picture === undefined
        ? timing.time('picture (synth + load)', () =>
            loadPicture({
              repoRoot,
              appEntry: options.appEntry ?? DEFAULT_APP_ENTRY,
              dataDir,
              accountId: ACCOUNT_ID,
              region: REGION,
              endpoint,
              ...(options.forceSynth === undefined ? {} : { forceSynth: options.forceSynth }),
              log: (line) => log(`synth: ${line}`),
              timing,
              ...(options.synth === undefined ? {} : { synth: options.synth.result }),
            }),
          )
        : Promise.resolve({ picture: options.picture, synth: undefined });
    const started = await Promise.allSettled([
      pictureTask,
      timing.time('dynamodb', () => LocalDynamoDb.start({ path: join(dataDir, 'dynamodb') })),
      timing.time('sqs', () =>
        SqsService.open({
          dataDir: join(dataDir, 'sqs'),
          clock,
          endpoint,
          region: REGION,
          accountId: ACCOUNT_ID,
        }),
      ),
      timing.time('execution store', () => FileStore.open(join(dataDir, 'executions'))),
      options.synth?.running === true ? warmUpValidator(timing) : Promise.resolve(),
    ] as const);
    timing.mark('picture, dynamodb, sqs, store');
    const [pictureResult, dynamodbResult, sqsResult, storeResult] = started;
    if (
      pictureResult.status === 'rejected' ||
      dynamodbResult.status === 'rejected' ||
      sqsResult.status === 'rejected' ||
      storeResult.status === 'rejected'
    ) {
      // Release what did start (dynalite's port and store lock, the logs) before reporting the first failure.
      await Promise.allSettled([
        dynamodbResult.status === 'fulfilled' ? dynamodbResult.value.close() : undefined,
        sqsResult.status === 'fulfilled' ? sqsResult.value.close() : undefined,
        storeResult.status === 'fulfilled' ? storeResult.value.close() : undefined,
      ]);
      const failure = started.find((result) => result.status === 'rejected');
      throw failure?.reason instanceof Error ? failure.reason : new Error(String(failure?.reason));
    }
    const { picture, synth } = pictureResult.value;
    const dynamodb = dynamodbResult.value;
    const sqs = sqsResult.value;
    const store = storeResult.value;
    const events = await EventBridgeService.open({
      dataDir: join(dataDir, 'events'),
      clock,
      region: REGION,
      accountId: ACCOUNT_ID,
      sqs,
    });
    timing.mark('eventbridge');
    const logs = new LambdaLogStore(join(dataDir, 'logs', 'lambda.jsonl'));
    const lambda = new LambdaRuntime({
      repoRoot,
      dataDir,
      endpoint: () => endpoint,
      // DynamoDB calls go straight to dynalite (the endpoint proxies them there too; this skips a hop).
      serviceEndpoints: () => ({ AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint }),
      logs,
      accountId: ACCOUNT_ID,
      region: REGION,
    });
    for (const fn of picture.functions) lambda.register(await localFunction(fn, dataDir));
    timing.mark('lambda functions');

    const deps: IntegrationDeps = { lambda, sqs, events, dynamodb: dynamodb.sdkClient };
    const feed = new EngineFeed();
    const engine = new Engine({
      ...feed.hooks,
      store,
      clock,
      integrations: createIntegrations(deps),
      accountId: ACCOUNT_ID,
      region: REGION,
    });
    const targets = createTargetDispatcher({ engine, lambda, sqs, events });
    events.setDispatcher(targets);
    const cloud = new LocalCloud(
      engine,
      sqs,
      events,
      lambda,
      logs,
      dynamodb,
      picture,
      dataDir,
      endpoint,
      clock,
      targets,
      synth,
      store,
      deps,
      feed,
    );
    try {
      await cloud.apply(options, log, timing);
    } catch (error) {
      await cloud.close();
      throw error;
    }
    if (options.deferFunctionBundling !== true) cloud.prepareFunctions();
    return cloud;
  }

  /**
   * Starts bundling every function's handler (esbuild, cached in the data folder) in the background. Not needed to be
   * ready: an invocation that comes first waits for its own function's bundle.
   */
  prepareFunctions(): void {
    if (!this.closed) this.lambda.prepare();
  }

  /** Stops pollers, the engine (executions stay resumable), workers and services. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.pollers.map((poller) => poller.stop()));
    await this.events.close();
    await this.engine.close();
    await this.store.close();
    await this.lambda.close();
    await this.sqs.close();
    await this.dynamodb.close();
    await this.logs.close();
  }

  private async apply(
    options: LocalCloudOptions,
    log: (line: string) => void,
    timing: StartupTiming,
  ): Promise<void> {
    const picture = this.picture;
    for (const warning of picture.warnings) log(`picture: ${warning}`);
    // Queues: dead-letter queues first, so a redrive policy always points at an existing queue.
    const ordered = [...picture.queues].sort(
      (a, b) => Number('RedrivePolicy' in a.attributes) - Number('RedrivePolicy' in b.attributes),
    );
    for (const queue of ordered) {
      try {
        this.sqs.createQueue({ QueueName: queue.queueName, Attributes: queue.attributes });
      } catch (error) {
        if (!(error instanceof SqsError) || error.code !== 'QueueAlreadyExists') throw error;
        // The app changed the queue's attributes since the last run: apply them.
        this.sqs.setQueueAttributes({ QueueUrl: queue.queueUrl, Attributes: queue.attributes });
      }
    }
    timing.mark('queues');
    // Before the engine resumes executions: their tasks may use the tables.
    await this.dynamodb.ensureTables(picture.tables);
    timing.mark('tables');
    await this.engine.start();
    timing.mark('engine (executions resumed)');
    for (const machine of picture.stateMachines) {
      const input = {
        name: machine.name,
        definition: machine.definition,
        type: machine.type,
        ...(machine.roleArn === undefined ? {} : { roleArn: machine.roleArn }),
        ...(machine.tracingEnabled ? { tracingConfiguration: { enabled: true } } : {}),
      };
      try {
        await this.engine.createStateMachine(input);
      } catch (error) {
        if (!(error instanceof EngineError) || error.code !== 'StateMachineAlreadyExists') throw error;
        await this.engine.updateStateMachine({
          stateMachineArn: machine.stateMachineArn,
          definition: machine.definition,
          ...(machine.roleArn === undefined ? {} : { roleArn: machine.roleArn }),
        });
      }
    }
    timing.mark('state machines');
    this.applyEvents(log);
    timing.mark('buses, rules, archives');
    // Queues, rules, archives, buses, state machines and tables the app no longer has (their data saved first).
    await pruneRemovedResources({
      dataDir: this.dataDir,
      picture,
      targets: { sqs: this.sqs, events: this.events, engine: this.engine, dynamodb: this.dynamodb.sdkClient },
      log,
    });
    timing.mark('removed resources pruned');
    if (options.eventSourceMappings !== false) {
      for (const mapping of picture.eventSourceMappings) {
        if (!mapping.eventSourceArn.startsWith('arn:aws:sqs:')) {
          log(
            `event source mapping ${mapping.uuid}: only SQS sources run locally (${mapping.eventSourceArn})`,
          );
          continue;
        }
        const poller = new SqsEventSourcePoller({
          mapping,
          sqs: this.sqs,
          lambda: this.lambda,
          region: REGION,
          log,
        });
        poller.start();
        this.pollers.push(poller);
      }
    }
    timing.mark('event source mappings');
    void this.deps;
  }

  /** Buses, rules with their targets, archives (existing ones are kept; rules and targets are upserts). */
  private applyEvents(log: (line: string) => void): void {
    const exists = (error: unknown): boolean =>
      error instanceof EventBridgeError && error.code === 'ResourceAlreadyExistsException';
    for (const bus of this.picture.buses) {
      if (bus.name === 'default') continue;
      try {
        this.events.createEventBus({ Name: bus.name });
      } catch (error) {
        if (!exists(error)) throw error;
      }
    }
    for (const rule of this.picture.rules) {
      this.events.putRule({
        Name: rule.name,
        EventBusName: rule.eventBusName,
        State: rule.state,
        ...(rule.eventPattern === undefined ? {} : { EventPattern: rule.eventPattern }),
        ...(rule.scheduleExpression === undefined ? {} : { ScheduleExpression: rule.scheduleExpression }),
        ...(rule.description === undefined ? {} : { Description: rule.description }),
      });
      if (rule.targets.length === 0) continue;
      const result = this.events.putTargets({
        Rule: rule.name,
        EventBusName: rule.eventBusName,
        Targets: rule.targets,
      });
      for (const failed of result.FailedEntries) {
        log(
          `rule ${rule.name}: target ${failed.TargetId} not added: ${failed.ErrorCode} ${failed.ErrorMessage}`,
        );
      }
    }
    for (const archive of this.picture.archives) {
      try {
        this.events.createArchive({
          ArchiveName: archive.archiveName,
          EventSourceArn: archive.eventSourceArn,
          ...(archive.eventPattern === undefined ? {} : { EventPattern: archive.eventPattern }),
          ...(archive.retentionDays === undefined ? {} : { RetentionDays: archive.retentionDays }),
          ...(archive.description === undefined ? {} : { Description: archive.description }),
        });
      } catch (error) {
        if (!exists(error)) throw error;
      }
    }
  }
}
