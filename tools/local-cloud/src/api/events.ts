import { EventBridgeError, type EventBridgeService } from '../events';
import { AwsError, unknownOperation } from '../server/aws-error';
import { type JsonProtocolService } from '../server/json-service';

type Operation = (input: never) => unknown;

/**
 * The EventBridge operations the endpoint serves, by action name → the EventBridge service's method (inputs and
 * outputs are the JSON-protocol shapes; the service validates members and throws `EventBridgeError`s).
 */
export const EVENTS_OPERATIONS = {
  PutEvents: 'putEvents',
  PutRule: 'putRule',
  DescribeRule: 'describeRule',
  ListRules: 'listRules',
  DeleteRule: 'deleteRule',
  EnableRule: 'enableRule',
  DisableRule: 'disableRule',
  PutTargets: 'putTargets',
  RemoveTargets: 'removeTargets',
  ListTargetsByRule: 'listTargetsByRule',
  TestEventPattern: 'testEventPattern',
  CreateEventBus: 'createEventBus',
  DescribeEventBus: 'describeEventBus',
  ListEventBuses: 'listEventBuses',
  DeleteEventBus: 'deleteEventBus',
  CreateArchive: 'createArchive',
  DescribeArchive: 'describeArchive',
  ListArchives: 'listArchives',
  DeleteArchive: 'deleteArchive',
  StartReplay: 'startReplay',
  DescribeReplay: 'describeReplay',
  ListReplays: 'listReplays',
} as const satisfies Record<string, keyof EventBridgeService>;

/** EventBridge over awsJson1_1 (`X-Amz-Target: AWSEvents.<Operation>`). */
export const eventsService = (backend: EventBridgeService): JsonProtocolService => {
  const methods = backend as unknown as Record<string, unknown>;
  return {
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    errorTypePrefix: '',
    handle: async (operation, params) => {
      const name = Object.hasOwn(EVENTS_OPERATIONS, operation)
        ? EVENTS_OPERATIONS[operation as keyof typeof EVENTS_OPERATIONS]
        : undefined;
      const method = name === undefined ? undefined : methods[name];
      if (typeof method !== 'function') throw unknownOperation(operation);
      const result: unknown = await (method as Operation).call(backend, params.raw as never);
      return result ?? {};
    },
    toAwsError: (error) =>
      error instanceof EventBridgeError
        ? new AwsError(error.code, error.message, error.status, error.fault)
        : undefined,
  };
};
