/**
 * `mock.fieldValidationMode`: checks a mocked Task result against the called API's output shape, as TestState does.
 * STRICT (the default): every required field present, and every field of the API model that is present of the right
 * type; PRESENT: only the fields present are checked; NONE: no check. Fields outside the API model are allowed in
 * every mode (AWS accepts them). Shapes are known for the optimised
 * integrations listed in {@link SHAPES}; a result for any other API is not checked.
 */
import { EngineError } from './errors';
import { parseResource } from './integrations';
import type { MockFieldValidationMode } from './test-state-types';
import type { JsonObject, JsonValue } from './types';

type Shape =
  | { kind: 'string'; min?: number; enum?: readonly string[] }
  | { kind: 'number'; integer?: boolean; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'any' }
  | { kind: 'list'; member: Shape }
  | { kind: 'map'; value: Shape }
  | { kind: 'structure'; members: Readonly<Record<string, Shape>>; required?: readonly string[] };

const str: Shape = { kind: 'string' };
const int: Shape = { kind: 'number', integer: true };
const double: Shape = { kind: 'number' };
const any: Shape = { kind: 'any' };
const struct = (members: Record<string, Shape>, required: string[] = []): Shape => ({
  kind: 'structure',
  members,
  required,
});
const consumedCapacity = struct({
  TableName: str,
  CapacityUnits: double,
  ReadCapacityUnits: double,
  WriteCapacityUnits: double,
  Table: struct({ ReadCapacityUnits: double, WriteCapacityUnits: double, CapacityUnits: double }),
  LocalSecondaryIndexes: { kind: 'map', value: any },
  GlobalSecondaryIndexes: { kind: 'map', value: any },
});
const attributeMap: Shape = { kind: 'map', value: any };
const dynamoWrite = struct({
  Attributes: attributeMap,
  ConsumedCapacity: consumedCapacity,
  ItemCollectionMetrics: any,
});

/** Output shapes of the optimised integrations (`service:action`), from the services' API models. */
const SHAPES: Readonly<Record<string, Shape>> = {
  'lambda:invoke': struct({
    StatusCode: int,
    FunctionError: str,
    LogResult: str,
    Payload: any,
    ExecutedVersion: str,
  }),
  'lambda-function:invoke': any,
  'events:putEvents': struct({
    FailedEntryCount: int,
    Entries: { kind: 'list', member: struct({ EventId: str, ErrorCode: str, ErrorMessage: str }) },
  }),
  'sqs:sendMessage': struct({
    MD5OfMessageBody: str,
    MD5OfMessageAttributes: str,
    MD5OfMessageSystemAttributes: str,
    MessageId: str,
    SequenceNumber: str,
  }),
  'sns:publish': struct({ MessageId: str, SequenceNumber: str }),
  'states:startExecution': struct({ ExecutionArn: str, StartDate: { kind: 'timestamp' } }, [
    'ExecutionArn',
    'StartDate',
  ]),
  'dynamodb:putItem': dynamoWrite,
  'dynamodb:updateItem': dynamoWrite,
  'dynamodb:deleteItem': dynamoWrite,
  'dynamodb:getItem': struct({ Item: attributeMap, ConsumedCapacity: consumedCapacity }),
};

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(message: string): never {
  throw new EngineError('ValidationException', `Mock result schema validation error: ${message}`);
}

function check(value: JsonValue, shape: Shape, name: string, strict: boolean): void {
  switch (shape.kind) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') fail(`Field '${name}' must be a string`);
      if (shape.min !== undefined && value.length < shape.min)
        fail(`Field '${name}' is smaller than the minimum length`);
      if (shape.enum !== undefined && !shape.enum.includes(value))
        fail(`Field '${name}' is not an expected value`);
      return;
    case 'timestamp':
      if (typeof value !== 'string') fail(`Field '${name}' must be a string`);
      return;
    case 'number':
      if (typeof value !== 'number' || (shape.integer === true && !Number.isInteger(value)))
        fail(`Field '${name}' must be a number`);
      if (shape.min !== undefined && value < shape.min)
        fail(`Field '${name}' is less than the minimum value`);
      if (shape.max !== undefined && value > shape.max) fail(`Field '${name}' exceeds the maximum value`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(`Field '${name}' must be a boolean`);
      return;
    case 'list':
      if (!Array.isArray(value)) fail(`Field '${name}' must be an array`);
      for (const item of value) check(item, shape.member, name, strict);
      return;
    case 'map':
      if (!isObj(value)) fail(`Field '${name}' must be an object`);
      for (const v of Object.values(value)) check(v, shape.value, name, strict);
      return;
    case 'structure':
      if (!isObj(value)) fail(`Field '${name}' must be an object`);
      if (strict)
        for (const r of shape.required ?? []) if (!(r in value)) fail(`Required field '${r}' is missing`);
      for (const [k, v] of Object.entries(value)) {
        const member = shape.members[k];
        if (member !== undefined) check(v, member, k, strict);
      }
  }
}

/** Checks a mocked Task result against its API's output shape; throws ValidationException as AWS words it. */
export function checkMockFields(
  resource: string,
  result: JsonValue,
  mode: MockFieldValidationMode = 'STRICT',
): void {
  if (mode === 'NONE') return;
  const parsed = parseResource(resource);
  if (parsed === undefined || parsed.pattern !== 'REQUEST_RESPONSE') return;
  const shape = SHAPES[`${parsed.service}:${parsed.action}`];
  if (shape === undefined) return;
  if (shape.kind === 'structure' && !isObj(result)) fail('The mocked result must be a JSON object');
  check(result, shape, '', mode === 'STRICT');
}
