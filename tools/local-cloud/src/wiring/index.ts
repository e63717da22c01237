export {
  createIntegrations,
  type IntegrationDeps,
  type PutEventsEntry,
  type PutEventsPort,
} from './integrations';
export {
  SqsEventSourcePoller,
  failedItemIds,
  toSqsEvent,
  type SqsEventRecord,
  type SqsPollerOptions,
} from './sqs-poller';
export {
  createTargetDispatcher,
  TargetDeliveryError,
  type DispatchTarget,
  type LocalTargetDispatcher,
  type TargetDispatcherDeps,
} from './target-dispatcher';
