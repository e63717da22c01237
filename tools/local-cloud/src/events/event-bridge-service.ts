import { randomUUID } from 'node:crypto';
import { type Clock, SystemClock, type TimerHandle } from '../sqs/clock';
import { type SqsService } from '../sqs/sqs-service';
import { badPattern, EventBridgeError, missingMember, notFound, validation } from './errors';
import { targetInput, validateTargetInput } from './input-transform';
import { type CompiledPattern, compilePattern } from './pattern';
import { RecentEventLog } from './recent-events';
import { InvalidScheduleError, parseScheduleExpression, type Schedule } from './schedule';
import {
  type ArchiveRecord,
  type ArchivedEvent,
  type BusRecord,
  type DeliveryRecord,
  durablePersistence,
  type EventsPersistence,
  type EventsRecord,
  type EventsSnapshot,
  memoryPersistence,
  type ReplayRecord,
  type RuleRecord,
} from './persistence';
import {
  type ArchiveDescription,
  type CreateArchiveInput,
  type DeliveryStatus,
  type EventBusDescription,
  type EventBusInput,
  type EventEnvelope,
  type FailedTargetEntry,
  type ListArchivesInput,
  type ListRulesInput,
  type PutEventsInput,
  type PutEventsOutput,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
  type PutRuleInput,
  type PutTargetsInput,
  type RecentEvent,
  type RemoveTargetsInput,
  type ReplayDescription,
  type RuleDescription,
  type RuleRef,
  type StartReplayInput,
  type Target,
  type TargetsResult,
} from './types';

/**
 * Delivers a matched event to a rule target (implemented by the local cloud's wiring: Step Functions StartExecution,
 * Lambda, SQS, another bus). `input` is the target's payload after Input/InputPath/InputTransformer; `event` the
 * matched event. Reject to fail the delivery: an error with a string `code` (else its `name`) and `message` is
 * what the retry policy and the dead-letter queue see.
 */
export interface TargetDispatcher {
  dispatch(target: Target, input: string, event: EventEnvelope): Promise<void>;
}

/** Options of {@link EventBridgeService.open}. */
export interface EventBridgeServiceOptions {
  /** Directory of the durable log; omit for an in-memory service. */
  readonly dataDir?: string;
  readonly clock?: Clock;
  readonly region?: string;
  readonly accountId?: string;
  /** Delivers to targets (can also be set later with {@link EventBridgeService.setDispatcher}). */
  readonly dispatcher?: TargetDispatcher;
  /** Where rule dead-letter queues live. */
  readonly sqs?: SqsService;
  readonly fsync?: boolean;
  readonly compactAfterBytes?: number;
  /**
   * How many received events the console log keeps (default 200). With `dataDir` the log is journaled too (events
   * and delivery status changes), so {@link EventBridgeService.recentEvents} is the same after a restart.
   */
  readonly recentEventsLimit?: number;
  /** First retry delay; doubles per attempt up to {@link EventBridgeServiceOptions.maxRetryDelayMs} (default 1 s). */
  readonly retryBaseDelayMs?: number;
  /** Longest delay between retries (default 60 s). */
  readonly maxRetryDelayMs?: number;
}

const NAME_PATTERN = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME_PATTERN = /^[/.\-_A-Za-z0-9]{1,256}$/;
const MAX_REQUEST_BYTES = 256 * 1024;
const MAX_TARGETS_PER_RULE = 5;
const DEFAULT_MAX_RETRY_ATTEMPTS = 185;
const DEFAULT_MAX_EVENT_AGE_SECONDS = 86400;
/** Delivery errors not worth retrying: the event goes to the dead-letter queue at once. */
const NOT_RETRYABLE = new Set(['ResourceNotFoundException', 'ValidationException', 'AccessDeniedException']);
const DEFAULT_BUS = 'default';

interface RuleEntry {
  rule: RuleRecord;
  compiled: CompiledPattern | undefined;
  targets: Target[];
}

interface ArchiveEntry {
  archive: ArchiveRecord;
  compiled: CompiledPattern | undefined;
  events: ArchivedEvent[];
  sizeBytes: number;
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A timestamp member as the wire gives it (Date, epoch seconds, ISO text) in epoch ms; undefined if unusable. */
function toMillis(value: Date | number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * Checks a ScheduleExpression (`rate(...)` or AWS's six-field `cron(...)`).
 * @throws EventBridgeError ValidationException naming what is wrong when it is not valid.
 */
export function checkSchedule(expression: string): Schedule {
  try {
    return parseScheduleExpression(expression);
  } catch (error) {
    if (error instanceof InvalidScheduleError) {
      throw validation(`Parameter ScheduleExpression is not valid: ${error.reason}.`);
    }
    throw error;
  }
}

/** The bytes an entry counts against the 256 KB PutEvents limit (as AWS documents the calculation). */
function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  for (const text of [entry.Source, entry.DetailType, entry.Detail]) {
    if (typeof text === 'string') size += Buffer.byteLength(text, 'utf8');
  }
  for (const resource of entry.Resources ?? []) {
    if (typeof resource === 'string') size += Buffer.byteLength(resource, 'utf8');
  }
  return size;
}

const errorCode = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'InternalException';
};

/**
 * Amazon EventBridge as a library: event buses, rules with the full pattern language, targets with Input, InputPath
 * and InputTransformer, retry policies with backoff and dead-letter queues, archives (every event on the bus that
 * matches the archive's pattern, whether or not a rule matched it) and replays, TestEventPattern, and a log of recent
 * events with the rules each one matched. Delivery goes through a {@link TargetDispatcher}.
 *
 * With a `dataDir`, buses, rules, targets, archived events, replays, deliveries not yet done and the log of recent
 * events survive a restart.
 */
export class EventBridgeService {
  private readonly buses = new Map<string, BusRecord>();
  private readonly rules = new Map<string, Map<string, RuleEntry>>();
  private readonly archives = new Map<string, ArchiveEntry>();
  private readonly replays = new Map<string, ReplayRecord>();
  private readonly deliveries = new Map<string, DeliveryRecord>();
  private readonly deliveryTimers = new Map<string, TimerHandle>();
  private readonly scheduleTimers = new Map<string, TimerHandle>();
  private readonly running = new Set<Promise<void>>();
  private readonly recent: RecentEventLog;
  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private dispatcher: TargetDispatcher | undefined;
  private sqs: SqsService | undefined;
  private closed = false;

  private constructor(
    private readonly persistence: EventsPersistence,
    options: EventBridgeServiceOptions,
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.dispatcher = options.dispatcher;
    this.sqs = options.sqs;
    this.replay(persistence.recovered.snapshot, persistence.recovered.records);
    this.recent = new RecentEventLog(persistence.recent, { limit: options.recentEventsLimit ?? 200 });
    if (!this.buses.has(DEFAULT_BUS)) {
      const now = this.clock.now();
      this.buses.set(DEFAULT_BUS, { name: DEFAULT_BUS, created: now, modified: now });
    }
  }

  /** Opens the service, replaying its durable log when `dataDir` is given; resumes pending deliveries. */
  static async open(options: EventBridgeServiceOptions = {}): Promise<EventBridgeService> {
    const persistence =
      options.dataDir === undefined
        ? memoryPersistence()
        : await durablePersistence(options.dataDir, {
            ...(options.fsync === undefined ? {} : { fsync: options.fsync }),
            ...(options.compactAfterBytes === undefined
              ? {}
              : { compactAfterBytes: options.compactAfterBytes }),
          });
    const service = new EventBridgeService(persistence, options);
    service.resumeAfterRestart();
    return service;
  }

  /** Sets (or replaces) the target dispatcher. */
  setDispatcher(dispatcher: TargetDispatcher): void {
    this.dispatcher = dispatcher;
  }

  /** Sets the SQS service that holds rule dead-letter queues. */
  setSqs(sqs: SqsService): void {
    this.sqs = sqs;
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  ruleArn(bus: string, name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:rule/${bus === DEFAULT_BUS ? '' : `${bus}/`}${name}`;
  }

  archiveArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:archive/${name}`;
  }

  replayArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:replay/${name}`;
  }

  /** Resolves once every delivery attempt started so far has finished (retries scheduled later are not waited for). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async flush(): Promise<void> {
    await this.persistence.flush();
  }

  /** Stops retry timers (pending deliveries stay in the log) and closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const handle of this.deliveryTimers.values()) this.clock.clearTimer(handle);
    for (const handle of this.scheduleTimers.values()) this.clock.clearTimer(handle);
    this.scheduleTimers.clear();
    this.deliveryTimers.clear();
    await this.settled();
    await this.persistence.close();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Buses

  createEventBus(input: EventBusInput): { EventBusArn: string } {
    const name = input.Name;
    if (name === undefined || name === '') throw missingMember('name');
    if (!BUS_NAME_PATTERN.test(name) || name === DEFAULT_BUS)
      throw badPattern('name', name, '[/\\.\\-_A-Za-z0-9]+');
    if (this.buses.has(name)) {
      throw new EventBridgeError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    }
    const now = this.clock.now();
    const bus: BusRecord = { name, created: now, modified: now };
    if (input.Description !== undefined) bus.description = input.Description;
    this.buses.set(name, bus);
    this.write({ t: 'bus', bus });
    return { EventBusArn: this.busArn(name) };
  }

  describeEventBus(input: EventBusInput = {}): EventBusDescription {
    const bus = this.requireBus(input.Name);
    const out: EventBusDescription = {
      Name: bus.name,
      Arn: this.busArn(bus.name),
      CreationTime: new Date(bus.created),
      LastModifiedTime: new Date(bus.modified),
    };
    if (bus.description !== undefined) out.Description = bus.description;
    return out;
  }

  listEventBuses(input: { NamePrefix?: string } = {}): { EventBuses: EventBusDescription[] } {
    return {
      EventBuses: [...this.buses.keys()]
        .filter((name) => name.startsWith(input.NamePrefix ?? ''))
        .sort()
        .map((name) => this.describeEventBus({ Name: name })),
    };
  }

  deleteEventBus(input: EventBusInput): Record<string, never> {
    if (input.Name === undefined || input.Name === '') throw missingMember('name');
    if (input.Name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
    if (!this.buses.has(input.Name)) return {};
    this.buses.delete(input.Name);
    this.rules.delete(input.Name);
    this.write({ t: 'dropBus', name: input.Name });
    return {};
  }

  // -------------------------------------------------------------------------------------------------------------
  // Rules and targets

  putRule(input: PutRuleInput): { RuleArn: string } {
    const name = this.ruleName(input.Name);
    const bus = this.requireBus(input.EventBusName).name;
    if (input.EventPattern === undefined && input.ScheduleExpression === undefined) {
      throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (input.ScheduleExpression !== undefined && bus !== DEFAULT_BUS) {
      throw validation('ScheduleExpression is supported only on the default event bus.');
    }
    if (input.ScheduleExpression !== undefined) checkSchedule(input.ScheduleExpression);
    if (
      input.State !== undefined &&
      !['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'].includes(input.State)
    ) {
      throw validation(
        `1 validation error detected: Value '${String(input.State)}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`,
      );
    }
    const compiled = input.EventPattern === undefined ? undefined : compilePattern(input.EventPattern);
    const existing = this.rules.get(bus)?.get(name);
    const rule: RuleRecord = {
      bus,
      name,
      state: input.State ?? 'ENABLED',
      created: existing?.rule.created ?? this.clock.now(),
    };
    if (input.EventPattern !== undefined) rule.pattern = input.EventPattern;
    if (input.ScheduleExpression !== undefined) rule.schedule = input.ScheduleExpression;
    if (input.Description !== undefined) rule.description = input.Description;
    if (input.RoleArn !== undefined) rule.roleArn = input.RoleArn;
    this.busRules(bus).set(name, { rule, compiled, targets: existing?.targets ?? [] });
    this.write({ t: 'rule', rule });
    this.armSchedule(rule);
    return { RuleArn: this.ruleArn(bus, name) };
  }

  describeRule(input: RuleRef): RuleDescription {
    return this.describe(this.requireRule(input.Name, input.EventBusName).rule);
  }

  listRules(input: ListRulesInput = {}): { Rules: RuleDescription[]; NextToken?: string } {
    const bus = this.requireBus(input.EventBusName).name;
    const limit = input.Limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100)) {
      throw validation(
        `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100`,
      );
    }
    const names = [...this.busRules(bus).keys()]
      .filter((name) => name.startsWith(input.NamePrefix ?? ''))
      .sort();
    const start =
      input.NextToken === undefined ? 0 : Number(Buffer.from(input.NextToken, 'base64url').toString());
    const page = names.slice(start, limit === undefined ? undefined : start + limit);
    const out: { Rules: RuleDescription[]; NextToken?: string } = {
      Rules: page.map((name) => this.describeRule({ Name: name, EventBusName: bus })),
    };
    if (start + page.length < names.length) {
      out.NextToken = Buffer.from(String(start + page.length)).toString('base64url');
    }
    return out;
  }

  enableRule(input: RuleRef): Record<string, never> {
    return this.setRuleState(input, 'ENABLED');
  }

  disableRule(input: RuleRef): Record<string, never> {
    return this.setRuleState(input, 'DISABLED');
  }

  deleteRule(input: RuleRef & { Force?: boolean }): Record<string, never> {
    const name = this.ruleName(input.Name);
    const bus = this.requireBus(input.EventBusName).name;
    const entry = this.busRules(bus).get(name);
    if (entry === undefined) return {};
    if (entry.targets.length > 0 && input.Force !== true)
      throw validation("Rule can't be deleted since it has targets.");
    this.busRules(bus).delete(name);
    this.disarmSchedule(bus, name);
    this.write({ t: 'dropRule', bus, name });
    return {};
  }

  putTargets(input: PutTargetsInput): TargetsResult {
    const entry = this.requireRule(input.Rule, input.EventBusName, 'rule');
    const targets = input.Targets;
    if (!Array.isArray(targets) || targets.length === 0) throw missingMember('targets');
    if (targets.length > 10) {
      throw validation(
        "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    }
    const failed: FailedTargetEntry[] = [];
    const next = [...entry.targets];
    for (const target of targets) {
      const id = typeof target.Id === 'string' ? target.Id : '';
      try {
        if (!NAME_PATTERN.test(id)) throw badPattern('targets.member.id', id, '[\\.\\-_A-Za-z0-9]+');
        if (typeof target.Arn !== 'string' || target.Arn === '') throw missingMember('targets.member.arn');
        validateTargetInput(target);
        this.validateRetryPolicy(target);
      } catch (error) {
        if (!(error instanceof EventBridgeError)) throw error;
        failed.push({ TargetId: id, ErrorCode: error.code, ErrorMessage: error.message });
        continue;
      }
      const index = next.findIndex((existing) => existing.Id === id);
      const copy = structuredClone(target);
      if (index === -1) next.push(copy);
      else next[index] = copy;
    }
    if (next.length > MAX_TARGETS_PER_RULE) {
      throw new EventBridgeError(
        'LimitExceededException',
        'The requested resource exceeds the maximum number allowed.',
      );
    }
    entry.targets = next;
    this.write({ t: 'targets', bus: entry.rule.bus, rule: entry.rule.name, targets: next });
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  listTargetsByRule(input: RuleRef & { Rule?: string }): { Targets: Target[] } {
    const entry = this.requireRule(input.Rule, input.EventBusName, 'rule');
    return { Targets: structuredClone(entry.targets) };
  }

  removeTargets(input: RemoveTargetsInput): TargetsResult {
    const entry = this.requireRule(input.Rule, input.EventBusName, 'rule');
    if (!Array.isArray(input.Ids) || input.Ids.length === 0) throw missingMember('ids');
    const ids = new Set(input.Ids);
    entry.targets = entry.targets.filter((target) => !ids.has(target.Id));
    this.write({ t: 'targets', bus: entry.rule.bus, rule: entry.rule.name, targets: entry.targets });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  /** TestEventPattern: does `Event` (JSON text of a full event) match `EventPattern`? */
  testEventPattern(input: { EventPattern?: string; Event?: string }): { Result: boolean } {
    if (input.EventPattern === undefined) throw missingMember('eventPattern');
    if (input.Event === undefined) throw missingMember('event');
    const compiled = compilePattern(input.EventPattern);
    let event: unknown;
    try {
      event = JSON.parse(input.Event);
    } catch {
      throw validation('Parameter Event is not valid.');
    }
    const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
    const missing =
      typeof event === 'object' && event !== null && !Array.isArray(event)
        ? required.filter((field) => !(field in event))
        : required;
    if (missing.length > 0) {
      throw validation(
        `Parameter Event is not valid. Reason: Provided Event must have mandatory fields: ${missing.join(', ')}.`,
      );
    }
    return { Result: compiled.matches(event) };
  }

  // -------------------------------------------------------------------------------------------------------------
  // PutEvents and delivery

  putEvents(input: PutEventsInput): PutEventsOutput {
    const entries = input.Entries;
    if (!Array.isArray(entries) || entries.length === 0) throw missingMember('entries');
    if (entries.length > 10) {
      throw validation(
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    }
    const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
    if (total > MAX_REQUEST_BYTES)
      throw validation('Total size of the entries in the request is over the limit.');
    const results: PutEventsResultEntry[] = entries.map((entry) => {
      try {
        const { bus, event } = this.envelope(entry);
        this.route(bus, event, { archive: true });
        return { EventId: event.id };
      } catch (error) {
        if (!(error instanceof EventBridgeError)) throw error;
        return { ErrorCode: error.code, ErrorMessage: error.message };
      }
    });
    return {
      FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length,
      Entries: results,
    };
  }

  private envelope(entry: PutEventsRequestEntry): { bus: string; event: EventEnvelope } {
    const invalid = (field: string, reason: string) =>
      new EventBridgeError('InvalidArgument', `Parameter ${field} is not valid. Reason: ${reason}`);
    if (typeof entry.Source !== 'string' || entry.Source === '') {
      throw invalid('Source', 'Source is a required argument.');
    }
    if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
      throw invalid('DetailType', 'DetailType is a required argument.');
    }
    if (typeof entry.Detail !== 'string' || entry.Detail === '') {
      throw invalid('Detail', 'Detail is a required argument.');
    }
    if (/^aws\./.test(entry.Source)) {
      throw new EventBridgeError('NotAuthorizedForSourceException', 'Not authorized for the source.');
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      throw new EventBridgeError('MalformedDetail', 'Detail is malformed.');
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      throw new EventBridgeError('MalformedDetail', 'Detail is malformed.');
    }
    if (
      entry.Resources !== undefined &&
      (!Array.isArray(entry.Resources) || entry.Resources.some((r) => typeof r !== 'string'))
    ) {
      throw invalid('Resources', 'Resources must be a list of ARNs.');
    }
    const busName = this.busName(entry.EventBusName);
    if (!this.buses.has(busName)) {
      throw new EventBridgeError('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
    }
    const time = toMillis(entry.Time) ?? this.clock.now();
    return {
      bus: busName,
      event: {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: this.accountId,
        time: isoSeconds(time),
        region: this.region,
        resources: entry.Resources ?? [],
        detail,
      },
    };
  }

  /** Archives an event (unless replayed), matches it against the bus's enabled rules and starts deliveries. */
  private route(
    bus: string,
    event: EventEnvelope,
    options: { archive: boolean; filterRuleArns?: string[]; onlyRuleArn?: string },
  ): void {
    const now = this.clock.now();
    const archived: string[] = [];
    if (options.archive) {
      const busArn = this.busArn(bus);
      for (const entry of this.archives.values()) {
        if (entry.archive.sourceArn !== busArn) continue;
        if (entry.compiled !== undefined && !entry.compiled.matches(event)) continue;
        const record: ArchivedEvent = {
          at: now,
          time: Date.parse(event.time),
          event,
          size: Buffer.byteLength(JSON.stringify(event), 'utf8'),
        };
        this.addArchived(entry, record);
        this.write({ t: 'arch', a: entry.archive.name, e: record });
        archived.push(entry.archive.name);
      }
    }
    const recent: RecentEvent = {
      eventBusName: bus,
      receivedAt: new Date(now),
      event,
      matchedRules: [],
      archives: archived,
      deliveries: [],
    };
    const started: DeliveryRecord[] = [];
    for (const entry of this.busRules(bus).values()) {
      const { rule } = entry;
      if (rule.state === 'DISABLED') continue;
      const ruleArn = this.ruleArn(bus, rule.name);
      if (options.onlyRuleArn !== undefined) {
        if (ruleArn !== options.onlyRuleArn) continue;
      } else if (entry.compiled === undefined || !entry.compiled.matches(event)) {
        continue;
      }
      if (options.filterRuleArns !== undefined && !options.filterRuleArns.includes(ruleArn)) continue;
      recent.matchedRules.push(rule.name);
      for (const target of entry.targets) {
        const delivery: DeliveryRecord = {
          id: randomUUID(),
          bus,
          ruleName: rule.name,
          ruleArn,
          target,
          input: targetInput(target, event, { ruleArn, ruleName: rule.name, ingestionTime: isoSeconds(now) }),
          event,
          attempts: 0,
          firstAt: now,
          nextAt: now,
        };
        const status: DeliveryStatus = {
          ruleName: rule.name,
          targetId: target.Id,
          targetArn: target.Arn,
          status: 'pending',
          attempts: 0,
        };
        recent.deliveries.push(status);
        started.push(delivery);
        this.deliveries.set(delivery.id, delivery);
        this.write({ t: 'dlv', d: delivery });
      }
    }
    // Logged before the first attempts start, so each delivery's status is there for them to update.
    this.recent.add(
      recent,
      started.map((delivery) => delivery.id),
    );
    for (const delivery of started) this.track(this.attempt(delivery));
  }

  private track(promise: Promise<void>): void {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }

  private scheduleDelivery(delivery: DeliveryRecord, at: number): void {
    this.deliveryTimers.set(
      delivery.id,
      this.clock.setTimer(at, () => {
        this.deliveryTimers.delete(delivery.id);
        if (!this.closed && this.deliveries.has(delivery.id)) this.track(this.attempt(delivery));
      }),
    );
  }

  /** One delivery attempt; on failure, a retry with exponential backoff or the dead-letter queue. */
  private async attempt(delivery: DeliveryRecord): Promise<void> {
    delivery.attempts++;
    let failure: { code: string; message: string };
    try {
      // Deliveries are asynchronous, as in EventBridge: PutEvents has answered before the first attempt runs.
      await Promise.resolve();
      const dispatcher = this.dispatcher;
      if (dispatcher === undefined) {
        throw new EventBridgeError('InternalException', 'No target dispatcher is configured.', 500);
      }
      await dispatcher.dispatch(delivery.target, delivery.input, delivery.event);
      this.finishDelivery(delivery, 'delivered');
      return;
    } catch (error) {
      failure = { code: errorCode(error), message: error instanceof Error ? error.message : String(error) };
    }
    // Closing: the attempt's outcome is not recorded (the delivery and its status keep the count before it) and the
    // delivery is attempted again after a restart.
    if (this.closed) return;
    const status = this.recent.status(delivery.id);
    if (status) {
      status.attempts = delivery.attempts;
      status.errorCode = failure.code;
      status.errorMessage = failure.message;
    }
    const policy = delivery.target.RetryPolicy;
    const maxRetries = policy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS;
    const maxAgeMs = (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
    const now = this.clock.now();
    const delay = Math.min(this.retryBaseDelayMs * 2 ** (delivery.attempts - 1), this.maxRetryDelayMs);
    const retriesDone = delivery.attempts - 1;
    const retryable = !NOT_RETRYABLE.has(failure.code);
    if (retryable && retriesDone < maxRetries && now + delay - delivery.firstAt <= maxAgeMs) {
      delivery.nextAt = now + delay;
      this.write({ t: 'dlv', d: delivery });
      if (status) status.status = 'retrying';
      this.recent.changed(delivery.id);
      this.scheduleDelivery(delivery, delivery.nextAt);
      return;
    }
    const exhausted = !retryable
      ? undefined
      : retriesDone >= maxRetries
        ? 'MaximumRetryAttemptsExhausted'
        : 'MaximumEventAgeExhausted';
    this.finishDelivery(delivery, this.deadLetter(delivery, failure, exhausted) ? 'dead-lettered' : 'failed');
  }

  /** Sends the failed event to the target's dead-letter queue with the attributes EventBridge adds. */
  private deadLetter(
    delivery: DeliveryRecord,
    failure: { code: string; message: string },
    exhausted: string | undefined,
  ): boolean {
    const arn = delivery.target.DeadLetterConfig?.Arn;
    if (arn === undefined || this.sqs === undefined) return false;
    const queueUrl = this.sqs.queueUrlFromArn(arn);
    if (queueUrl === undefined) return false;
    const text = (value: string) => ({ DataType: 'String', StringValue: value });
    try {
      this.sqs.sendMessage({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(delivery.event),
        MessageAttributes: {
          ERROR_CODE: text(failure.code),
          ERROR_MESSAGE: text(failure.message === '' ? failure.code : failure.message.slice(0, 10_000)),
          RULE_ARN: text(delivery.ruleArn),
          TARGET_ARN: text(delivery.target.Arn),
          RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(delivery.attempts - 1) },
          ...(exhausted === undefined ? {} : { EXHAUSTED_RETRY_CONDITION: text(exhausted) }),
        },
      });
      return true;
    } catch {
      return false;
    }
  }

  private finishDelivery(delivery: DeliveryRecord, outcome: DeliveryStatus['status']): void {
    const status = this.recent.status(delivery.id);
    if (status) {
      status.status = outcome;
      status.attempts = delivery.attempts;
    }
    this.recent.changed(delivery.id);
    this.deliveries.delete(delivery.id);
    this.write({ t: 'done', id: delivery.id });
  }

  /**
   * Received events, newest first, with the rules each matched and how its deliveries went (for the console): the
   * newest `recentEventsLimit`, the same after a restart when the service has a `dataDir`.
   */
  recentEvents(options: { limit?: number; eventBusName?: string } = {}): RecentEvent[] {
    return this.recent.list(options);
  }

  /** A number that changes whenever {@link EventBridgeService.recentEvents} would return something else. */
  recentEventsVersion(): number {
    return this.recent.version;
  }

  /** Deliveries waiting for a retry (for the console). */
  pendingDeliveries(): {
    ruleName: string;
    targetId: string;
    attempts: number;
    nextAttemptAt: Date;
    eventId: string;
  }[] {
    return [...this.deliveries.values()].map((delivery) => ({
      ruleName: delivery.ruleName,
      targetId: delivery.target.Id,
      attempts: delivery.attempts,
      nextAttemptAt: new Date(delivery.nextAt),
      eventId: delivery.event.id,
    }));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Archives and replays

  createArchive(input: CreateArchiveInput): { ArchiveArn: string; State: 'ENABLED'; CreationTime: Date } {
    const name = input.ArchiveName;
    if (name === undefined || name === '') throw missingMember('archiveName');
    if (!/^[.\-_A-Za-z0-9]{1,48}$/.test(name)) throw badPattern('archiveName', name, '[\\.\\-_A-Za-z0-9]+');
    if (input.EventSourceArn === undefined) throw missingMember('eventSourceArn');
    const bus = /:event-bus\/(.+)$/.exec(input.EventSourceArn)?.[1];
    if (bus === undefined || !this.buses.has(bus) || input.EventSourceArn !== this.busArn(bus)) {
      throw notFound(`Event bus ${bus ?? input.EventSourceArn}`);
    }
    if (this.archives.has(name)) {
      throw new EventBridgeError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
    }
    const retention = input.RetentionDays ?? 0;
    if (!Number.isInteger(retention) || retention < 0) {
      throw validation(
        `1 validation error detected: Value '${String(retention)}' at 'retentionDays' failed to satisfy constraint: Member must have value greater than or equal to 0`,
      );
    }
    const compiled = input.EventPattern === undefined ? undefined : compilePattern(input.EventPattern);
    const archive: ArchiveRecord = {
      name,
      sourceArn: input.EventSourceArn,
      retentionDays: retention,
      created: this.clock.now(),
    };
    if (input.Description !== undefined) archive.description = input.Description;
    if (input.EventPattern !== undefined) archive.pattern = input.EventPattern;
    this.archives.set(name, { archive, compiled, events: [], sizeBytes: 0 });
    this.write({ t: 'archive', archive });
    return { ArchiveArn: this.archiveArn(name), State: 'ENABLED', CreationTime: new Date(archive.created) };
  }

  describeArchive(input: { ArchiveName?: string }): ArchiveDescription {
    const entry = this.requireArchive(input.ArchiveName);
    this.pruneArchive(entry);
    const { archive } = entry;
    const out: ArchiveDescription = {
      ArchiveArn: this.archiveArn(archive.name),
      ArchiveName: archive.name,
      EventSourceArn: archive.sourceArn,
      State: 'ENABLED',
      RetentionDays: archive.retentionDays,
      SizeBytes: entry.sizeBytes,
      EventCount: entry.events.length,
      CreationTime: new Date(archive.created),
    };
    if (archive.description !== undefined) out.Description = archive.description;
    if (archive.pattern !== undefined) out.EventPattern = archive.pattern;
    return out;
  }

  listArchives(input: ListArchivesInput = {}): {
    Archives: Omit<ArchiveDescription, 'Description' | 'EventPattern' | 'ArchiveArn'>[];
  } {
    return {
      Archives: [...this.archives.keys()]
        .filter((name) => name.startsWith(input.NamePrefix ?? ''))
        .sort()
        .map((name) => this.describeArchive({ ArchiveName: name }))
        .filter(
          (archive) => input.EventSourceArn === undefined || archive.EventSourceArn === input.EventSourceArn,
        )
        .filter((archive) => input.State === undefined || archive.State === input.State)
        .map(
          ({ ArchiveName, EventSourceArn, State, RetentionDays, SizeBytes, EventCount, CreationTime }) => ({
            ArchiveName,
            EventSourceArn,
            State,
            RetentionDays,
            SizeBytes,
            EventCount,
            CreationTime,
          }),
        ),
    };
  }

  deleteArchive(input: { ArchiveName?: string }): Record<string, never> {
    const entry = this.requireArchive(input.ArchiveName);
    this.archives.delete(entry.archive.name);
    this.write({ t: 'dropArchive', name: entry.archive.name });
    return {};
  }

  /** The events an archive holds, oldest first (for the console). */
  archivedEvents(archiveName: string): EventEnvelope[] {
    const entry = this.requireArchive(archiveName);
    this.pruneArchive(entry);
    return entry.events.map((archived) => structuredClone(archived.event));
  }

  startReplay(input: StartReplayInput): { ReplayArn: string; State: 'STARTING'; ReplayStartTime: Date } {
    const name = input.ReplayName;
    if (name === undefined || name === '') throw missingMember('replayName');
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) throw badPattern('replayName', name, '[\\.\\-_A-Za-z0-9]+');
    if (input.EventSourceArn === undefined) throw missingMember('eventSourceArn');
    const archiveName = /:archive\/(.+)$/.exec(input.EventSourceArn)?.[1];
    const archive = archiveName === undefined ? undefined : this.archives.get(archiveName);
    if (archive === undefined) throw notFound(`Archive ${archiveName ?? input.EventSourceArn}`);
    const start = toMillis(input.EventStartTime);
    const end = toMillis(input.EventEndTime);
    if (start === undefined) throw missingMember('eventStartTime');
    if (end === undefined) throw missingMember('eventEndTime');
    if (end <= start) {
      throw validation(
        'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      );
    }
    const destinationArn = input.Destination?.Arn;
    if (destinationArn === undefined) throw missingMember('destination.arn');
    if (destinationArn !== archive.archive.sourceArn) {
      throw validation(
        'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
      );
    }
    const existing = this.replays.get(name);
    if (existing !== undefined) {
      throw new EventBridgeError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    }
    const now = this.clock.now();
    const replay: ReplayRecord = {
      name,
      arn: this.replayArn(name),
      sourceArn: input.EventSourceArn,
      destination: {
        Arn: destinationArn,
        ...(input.Destination?.FilterArns ? { FilterArns: input.Destination.FilterArns } : {}),
      },
      start,
      end,
      state: 'STARTING',
      replayStart: now,
    };
    if (input.Description !== undefined) replay.description = input.Description;
    this.replays.set(name, replay);
    this.write({ t: 'replay', replay: { ...replay } });
    this.clock.setTimer(now, () => this.runReplay(replay));
    return { ReplayArn: replay.arn, State: 'STARTING', ReplayStartTime: new Date(now) };
  }

  private runReplay(replay: ReplayRecord): void {
    if (replay.state !== 'STARTING' || this.closed) return;
    const archiveName = /:archive\/(.+)$/.exec(replay.sourceArn)?.[1] ?? '';
    const archive = this.archives.get(archiveName);
    const bus = /:event-bus\/(.+)$/.exec(replay.destination.Arn)?.[1] ?? DEFAULT_BUS;
    if (archive === undefined || !this.buses.has(bus)) {
      replay.state = 'FAILED';
      replay.reason =
        archive === undefined ? `Archive ${archiveName} does not exist.` : `Event bus ${bus} does not exist.`;
      this.write({ t: 'replay', replay: { ...replay } });
      return;
    }
    replay.state = 'RUNNING';
    for (const archived of archive.events) {
      if (archived.time < replay.start || archived.time >= replay.end) continue;
      const event: EventEnvelope = { ...archived.event, 'replay-name': replay.name };
      this.route(bus, event, {
        archive: false,
        ...(replay.destination.FilterArns ? { filterRuleArns: replay.destination.FilterArns } : {}),
      });
      replay.lastReplayed = archived.time;
    }
    replay.state = 'COMPLETED';
    replay.replayEnd = this.clock.now();
    this.write({ t: 'replay', replay: { ...replay } });
  }

  describeReplay(input: { ReplayName?: string }): ReplayDescription {
    if (input.ReplayName === undefined || input.ReplayName === '') throw missingMember('replayName');
    const replay = this.replays.get(input.ReplayName);
    if (replay === undefined) throw notFound(`Replay ${input.ReplayName}`);
    const out: ReplayDescription = {
      ReplayName: replay.name,
      ReplayArn: replay.arn,
      State: replay.state,
      EventSourceArn: replay.sourceArn,
      Destination: structuredClone(replay.destination),
      EventStartTime: new Date(replay.start),
      EventEndTime: new Date(replay.end),
      ReplayStartTime: new Date(replay.replayStart),
    };
    if (replay.description !== undefined) out.Description = replay.description;
    if (replay.reason !== undefined) out.StateReason = replay.reason;
    if (replay.lastReplayed !== undefined) out.EventLastReplayedTime = new Date(replay.lastReplayed);
    if (replay.replayEnd !== undefined) out.ReplayEndTime = new Date(replay.replayEnd);
    return out;
  }

  listReplays(input: { NamePrefix?: string; EventSourceArn?: string; State?: string } = {}): {
    Replays: ReplayDescription[];
  } {
    return {
      Replays: [...this.replays.keys()]
        .filter((name) => name.startsWith(input.NamePrefix ?? ''))
        .sort()
        .map((name) => this.describeReplay({ ReplayName: name }))
        .filter(
          (replay) => input.EventSourceArn === undefined || replay.EventSourceArn === input.EventSourceArn,
        )
        .filter((replay) => input.State === undefined || replay.State === input.State),
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  private busName(nameOrArn: string | undefined): string {
    if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
    return /:event-bus\/(.+)$/.exec(nameOrArn)?.[1] ?? nameOrArn;
  }

  private requireBus(nameOrArn: string | undefined): BusRecord {
    const name = this.busName(nameOrArn);
    const bus = this.buses.get(name);
    if (bus === undefined) throw notFound(`Event bus ${name}`);
    return bus;
  }

  private busRules(bus: string): Map<string, RuleEntry> {
    let rules = this.rules.get(bus);
    if (rules === undefined) {
      rules = new Map();
      this.rules.set(bus, rules);
    }
    return rules;
  }

  private ruleName(name: string | undefined, member = 'name'): string {
    if (name === undefined || name === '') throw missingMember(member);
    if (!NAME_PATTERN.test(name)) throw badPattern(member, name, '[\\.\\-_A-Za-z0-9]+');
    return name;
  }

  private requireRule(name: string | undefined, busName: string | undefined, member = 'name'): RuleEntry {
    const ruleName = this.ruleName(name, member);
    const bus = this.requireBus(busName).name;
    const entry = this.busRules(bus).get(ruleName);
    if (entry === undefined) {
      throw new EventBridgeError(
        'ResourceNotFoundException',
        `Rule ${ruleName} does not exist on EventBus ${bus}.`,
      );
    }
    return entry;
  }

  private setRuleState(input: RuleRef, state: 'ENABLED' | 'DISABLED'): Record<string, never> {
    const entry = this.requireRule(input.Name, input.EventBusName);
    entry.rule = { ...entry.rule, state };
    this.write({ t: 'rule', rule: entry.rule });
    this.armSchedule(entry.rule);
    return {};
  }

  private describe(rule: RuleRecord): RuleDescription {
    const out: RuleDescription = {
      Name: rule.name,
      Arn: this.ruleArn(rule.bus, rule.name),
      State: rule.state,
      EventBusName: rule.bus,
      CreatedBy: this.accountId,
    };
    if (rule.pattern !== undefined) out.EventPattern = rule.pattern;
    if (rule.schedule !== undefined) out.ScheduleExpression = rule.schedule;
    if (rule.description !== undefined) out.Description = rule.description;
    if (rule.roleArn !== undefined) out.RoleArn = rule.roleArn;
    return out;
  }

  private validateRetryPolicy(target: Target): void {
    const policy = target.RetryPolicy;
    if (policy === undefined) return;
    const attempts = policy.MaximumRetryAttempts;
    if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 0 || attempts > 185)) {
      throw validation(
        `1 validation error detected: Value '${String(attempts)}' at 'targets.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value between 0 and 185`,
      );
    }
    const age = policy.MaximumEventAgeInSeconds;
    if (age !== undefined && (!Number.isInteger(age) || age < 60 || age > 86400)) {
      throw validation(
        `1 validation error detected: Value '${String(age)}' at 'targets.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value between 60 and 86400`,
      );
    }
  }

  private requireArchive(name: string | undefined): ArchiveEntry {
    if (name === undefined || name === '') throw missingMember('archiveName');
    const entry = this.archives.get(name);
    if (entry === undefined) throw notFound(`Archive ${name}`);
    return entry;
  }

  private addArchived(entry: ArchiveEntry, record: ArchivedEvent): void {
    entry.events.push(record);
    entry.sizeBytes += record.size;
  }

  /** Drops archived events past the archive's retention (0 days = kept forever). */
  private pruneArchive(entry: ArchiveEntry): void {
    if (entry.archive.retentionDays === 0) return;
    const cutoff = this.clock.now() - entry.archive.retentionDays * 86_400_000;
    let drop = 0;
    while (drop < entry.events.length && (entry.events[drop]?.at ?? Infinity) < cutoff) drop++;
    if (drop === 0) return;
    for (const dropped of entry.events.splice(0, drop)) entry.sizeBytes -= dropped.size;
  }

  private write(record: EventsRecord): void {
    this.persistence.write(record);
    this.persistence.maybeCompact(() => this.snapshot());
  }

  private snapshot(): EventsSnapshot {
    return {
      buses: [...this.buses.values()],
      rules: [...this.rules.values()].flatMap((rules) =>
        [...rules.values()].map((entry) => ({ rule: entry.rule, targets: entry.targets })),
      ),
      archives: [...this.archives.values()].map((entry) => {
        this.pruneArchive(entry);
        return { archive: entry.archive, events: entry.events };
      }),
      replays: [...this.replays.values()],
      deliveries: [...this.deliveries.values()],
    };
  }

  private replay(snapshot: EventsSnapshot | undefined, records: readonly EventsRecord[]): void {
    for (const bus of snapshot?.buses ?? []) this.buses.set(bus.name, bus);
    for (const { rule, targets } of snapshot?.rules ?? []) this.restoreRule(rule, targets);
    for (const { archive, events } of snapshot?.archives ?? []) {
      const entry = this.restoreArchive(archive);
      for (const event of events) this.addArchived(entry, event);
    }
    for (const replay of snapshot?.replays ?? []) this.replays.set(replay.name, replay);
    for (const delivery of snapshot?.deliveries ?? []) this.deliveries.set(delivery.id, delivery);
    for (const record of records) this.apply(record);
  }

  /**
   * Arms a scheduled rule: a `Scheduled Event` from `aws.events` to the rule's targets at each time of its `rate(...)`
   * or `cron(...)` expression (UTC) while the rule is enabled. Times missed while the local cloud was stopped (or the
   * process was suspended) are skipped, not fired in a burst: AWS does not backfill either. A rate schedule counts
   * its periods from when it was armed.
   */
  private armSchedule(rule: RuleRecord): void {
    this.disarmSchedule(rule.bus, rule.name);
    if (rule.schedule === undefined || rule.state === 'DISABLED' || this.closed) return;
    let schedule: Schedule;
    try {
      schedule = parseScheduleExpression(rule.schedule);
    } catch {
      // Stored by an older version that checked less (PutRule refuses it now): kept, never fired.
      return;
    }
    /** The first scheduled time after `at`, and after now (never one already past). */
    const nextAfter = (at: number): number | undefined => {
      const now = this.clock.now();
      if (schedule.kind === 'cron') return schedule.cron.nextAfter(Math.max(at, now));
      const periods = Math.max(1, Math.floor((now - at) / schedule.periodMs) + 1);
      return at + periods * schedule.periodMs;
    };
    const key = `${rule.bus}\u0000${rule.name}`;
    const arm = (at: number | undefined): void => {
      if (at === undefined) return;
      this.scheduleTimers.set(
        key,
        this.clock.setTimer(at, () => {
          this.scheduleTimers.delete(key);
          const entry = this.rules.get(rule.bus)?.get(rule.name);
          if (entry === undefined || entry.rule.schedule !== rule.schedule || entry.rule.state === 'DISABLED')
            return;
          this.fireScheduled(rule, at);
          arm(nextAfter(at));
        }),
      );
    };
    arm(nextAfter(this.clock.now()));
  }

  /** Sends the event AWS sends for a scheduled rule; its `time` is the scheduled time. */
  private fireScheduled(rule: RuleRecord, at: number): void {
    const ruleArn = this.ruleArn(rule.bus, rule.name);
    this.route(
      rule.bus,
      {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: this.accountId,
        time: isoSeconds(at),
        region: this.region,
        resources: [ruleArn],
        detail: {},
      },
      { archive: true, onlyRuleArn: ruleArn },
    );
  }

  private disarmSchedule(bus: string, name: string): void {
    const key = `${bus}\u0000${name}`;
    const timer = this.scheduleTimers.get(key);
    if (timer !== undefined) this.clock.clearTimer(timer);
    this.scheduleTimers.delete(key);
  }

  /** Reschedules pending deliveries and replays; a replay cut short by the restart is marked FAILED. */
  private resumeAfterRestart(): void {
    for (const rules of this.rules.values()) for (const entry of rules.values()) this.armSchedule(entry.rule);
    for (const delivery of this.deliveries.values()) this.scheduleDelivery(delivery, delivery.nextAt);
    for (const replay of this.replays.values()) {
      if (replay.state === 'STARTING') {
        this.clock.setTimer(this.clock.now(), () => this.runReplay(replay));
      } else if (replay.state === 'RUNNING') {
        replay.state = 'FAILED';
        replay.reason = 'The replay was interrupted by a restart of the local cloud.';
        this.write({ t: 'replay', replay: { ...replay } });
      }
    }
  }

  private restoreRule(rule: RuleRecord, targets: Target[]): void {
    this.busRules(rule.bus).set(rule.name, {
      rule,
      compiled: rule.pattern === undefined ? undefined : compilePattern(rule.pattern),
      targets,
    });
  }

  private restoreArchive(archive: ArchiveRecord): ArchiveEntry {
    const entry: ArchiveEntry = {
      archive,
      compiled: archive.pattern === undefined ? undefined : compilePattern(archive.pattern),
      events: [],
      sizeBytes: 0,
    };
    this.archives.set(archive.name, entry);
    return entry;
  }

  private apply(record: EventsRecord): void {
    switch (record.t) {
      case 'bus':
        this.buses.set(record.bus.name, record.bus);
        return;
      case 'dropBus':
        this.buses.delete(record.name);
        this.rules.delete(record.name);
        return;
      case 'rule':
        this.restoreRule(record.rule, this.rules.get(record.rule.bus)?.get(record.rule.name)?.targets ?? []);
        return;
      case 'dropRule':
        this.rules.get(record.bus)?.delete(record.name);
        return;
      case 'targets': {
        const entry = this.rules.get(record.bus)?.get(record.rule);
        if (entry) entry.targets = record.targets;
        return;
      }
      case 'archive':
        this.restoreArchive(record.archive);
        return;
      case 'dropArchive':
        this.archives.delete(record.name);
        return;
      case 'arch': {
        const entry = this.archives.get(record.a);
        if (entry) this.addArchived(entry, record.e);
        return;
      }
      case 'replay':
        this.replays.set(record.replay.name, record.replay);
        return;
      case 'dlv':
        this.deliveries.set(record.d.id, record.d);
        return;
      case 'done':
        this.deliveries.delete(record.id);
        return;
      default:
    }
  }
}
