/**
 * Request and response shapes of the EventBridge API (awsJson1_1; the `@aws-sdk/client-eventbridge` model's member
 * names). Inputs arrive as parsed JSON, so members are optional here and checked at run time. Timestamps are `Date`s
 * (the wire layer turns them into epoch seconds).
 */

/** An event as EventBridge delivers it to targets and matches it against patterns. */
export interface EventEnvelope {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Present on events re-delivered by a replay. */
  'replay-name'?: string;
}

export interface PutEventsRequestEntry {
  Time?: string | number | Date;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}
export interface PutEventsInput {
  Entries?: PutEventsRequestEntry[];
  EndpointId?: string;
}
export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}
export interface PutEventsOutput {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

export interface EventBusInput {
  Name?: string;
  Description?: string;
}
export interface EventBusDescription {
  Name: string;
  Arn: string;
  Description?: string;
  CreationTime: Date;
  LastModifiedTime: Date;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface PutRuleInput {
  Name?: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State?: RuleState;
  Description?: string;
  RoleArn?: string;
  Tags?: { Key: string; Value: string }[];
  EventBusName?: string;
}
export interface RuleRef {
  Name?: string;
  EventBusName?: string;
}
export interface RuleDescription {
  Name: string;
  Arn: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: RuleState;
  Description?: string;
  RoleArn?: string;
  EventBusName: string;
  CreatedBy: string;
}
export interface ListRulesInput {
  NamePrefix?: string;
  EventBusName?: string;
  NextToken?: string;
  Limit?: number;
}

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}
export interface RetryPolicy {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
}
/** A rule target (the fields the local cloud uses; others are kept as given). */
export interface Target {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
  RetryPolicy?: RetryPolicy;
  DeadLetterConfig?: { Arn?: string };
  SqsParameters?: { MessageGroupId?: string };
}
export interface PutTargetsInput extends RuleRef {
  Rule?: string;
  Targets?: Target[];
}
export interface RemoveTargetsInput extends RuleRef {
  Rule?: string;
  Ids?: string[];
  Force?: boolean;
}
export interface FailedTargetEntry {
  TargetId: string;
  ErrorCode: string;
  ErrorMessage: string;
}
export interface TargetsResult {
  FailedEntryCount: number;
  FailedEntries: FailedTargetEntry[];
}

export type ArchiveState =
  'ENABLED' | 'DISABLED' | 'CREATING' | 'UPDATING' | 'CREATE_FAILED' | 'UPDATE_FAILED';
export interface CreateArchiveInput {
  ArchiveName?: string;
  EventSourceArn?: string;
  Description?: string;
  EventPattern?: string;
  RetentionDays?: number;
}
export interface ArchiveDescription {
  ArchiveArn: string;
  ArchiveName: string;
  EventSourceArn: string;
  Description?: string;
  EventPattern?: string;
  State: ArchiveState;
  RetentionDays: number;
  SizeBytes: number;
  EventCount: number;
  CreationTime: Date;
}
export interface ListArchivesInput {
  NamePrefix?: string;
  EventSourceArn?: string;
  State?: ArchiveState;
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
export interface StartReplayInput {
  ReplayName?: string;
  Description?: string;
  EventSourceArn?: string;
  EventStartTime?: Date | number | string;
  EventEndTime?: Date | number | string;
  Destination?: { Arn?: string; FilterArns?: string[] };
}
export interface ReplayDescription {
  ReplayName: string;
  ReplayArn: string;
  Description?: string;
  State: ReplayState;
  StateReason?: string;
  EventSourceArn: string;
  Destination: { Arn: string; FilterArns?: string[] };
  EventStartTime: Date;
  EventEndTime: Date;
  EventLastReplayedTime?: Date;
  ReplayStartTime: Date;
  ReplayEndTime?: Date;
}

/** How one delivery of an event to one target went (for the console). */
export interface DeliveryStatus {
  ruleName: string;
  targetId: string;
  targetArn: string;
  status: 'pending' | 'delivered' | 'retrying' | 'failed' | 'dead-lettered';
  attempts: number;
  errorCode?: string;
  errorMessage?: string;
}

/** One event the bus received, with the rules it matched (for the console). */
export interface RecentEvent {
  eventBusName: string;
  receivedAt: Date;
  event: EventEnvelope;
  matchedRules: string[];
  archives: string[];
  deliveries: DeliveryStatus[];
}
