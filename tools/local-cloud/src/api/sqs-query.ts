import { type JsonObject } from '../server/params';

/**
 * The SQS query protocol (form-encoded `Action=...&Version=2012-11-05`, XML responses), translated to and from the
 * SQS JSON-protocol shapes, so one set of handlers serves both.
 */

export const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** Members whose query value is an integer in the JSON shape. */
const INTEGER_MEMBERS = new Set([
  'MaxNumberOfMessages',
  'VisibilityTimeout',
  'WaitTimeSeconds',
  'DelaySeconds',
  'MaxResults',
  'MaxNumberOfMessagesPerSecond',
]);

/** Flattened list members: query name → JSON name. */
const LIST_MEMBERS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  AWSAccountId: 'AWSAccountIds',
  ActionName: 'Actions',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};

/** Flattened map members: query name → [JSON name, key member, value member]. */
const MAP_MEMBERS: Readonly<Record<string, readonly [string, string, string]>> = {
  Attribute: ['Attributes', 'Name', 'Value'],
  MessageAttribute: ['MessageAttributes', 'Name', 'Value'],
  MessageSystemAttribute: ['MessageSystemAttributes', 'Name', 'Value'],
  Tag: ['tags', 'Key', 'Value'],
};

type Tree = { [key: string]: Tree | string };

const insert = (tree: Tree, path: readonly string[], value: string): void => {
  let node = tree;
  for (const [index, segment] of path.entries()) {
    if (index === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (typeof next === 'object') {
      node = next;
    } else {
      const created: Tree = {};
      node[segment] = created;
      node = created;
    }
  }
};

const byIndex = (tree: Tree): (Tree | string)[] =>
  Object.keys(tree)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => tree[key] as Tree | string);

/** `StringListValue.1`… inside a message attribute value → `StringListValues: [...]`. */
const attributeValue = (value: Tree | string): unknown => {
  if (typeof value === 'string') return value;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if ((key === 'StringListValue' || key === 'BinaryListValue') && typeof member === 'object') {
      out[`${key}s`] = byIndex(member);
    } else {
      out[key] = member;
    }
  }
  return out;
};

const toJsonShape = (tree: Tree): JsonObject => {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(tree)) {
    const list = LIST_MEMBERS[key];
    const map = MAP_MEMBERS[key];
    if (list !== undefined && typeof value === 'object') {
      out[list] = byIndex(value).map((item) => (typeof item === 'string' ? item : toJsonShape(item)));
    } else if (map !== undefined && typeof value === 'object') {
      const [jsonName, keyMember, valueMember] = map;
      const entries: JsonObject = {};
      for (const item of byIndex(value)) {
        if (typeof item !== 'object') continue;
        const name = item[keyMember];
        const member = item[valueMember];
        if (typeof name === 'string' && member !== undefined) entries[name] = attributeValue(member);
      }
      out[jsonName] = entries;
    } else if (typeof value === 'string' && INTEGER_MEMBERS.has(key) && /^-?\d+$/.test(value)) {
      out[key] = Number(value);
    } else {
      out[key] = typeof value === 'string' ? value : toJsonShape(value);
    }
  }
  return out;
};

/** A parsed query-protocol request: the action and its input in the JSON-protocol shape. */
export interface QueryRequest {
  readonly action: string;
  readonly input: JsonObject;
}

/**
 * Decodes a query-protocol request (form body and/or URL query string). A request POSTed to a queue URL's path
 * (`/<account>/<queue>`) without a `QueueUrl` parameter addresses that queue, as SQS allows.
 */
export const parseQueryRequest = (form: URLSearchParams, path: string, endpoint: string): QueryRequest => {
  const tree: Tree = {};
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    insert(tree, key.split('.'), value);
  }
  const input = toJsonShape(tree);
  if (input['QueueUrl'] === undefined && /^\/\d{12}\/[^/]+$/.test(path))
    input['QueueUrl'] = `${endpoint}${path}`;
  return { action: form.get('Action') ?? '', input };
};

const escapeXml = (text: string): string =>
  text.replace(/[&<>"'\r]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === '<'
        ? '&lt;'
        : c === '>'
          ? '&gt;'
          : c === '"'
            ? '&quot;'
            : c === "'"
              ? '&apos;'
              : '&#xD;',
  );

/** List members of results: JSON name → repeated XML element name (flattened, as the SQS query model has them). */
const resultListElement = (action: string, member: string): string => {
  switch (member) {
    case 'QueueUrls':
      return 'QueueUrl';
    case 'Messages':
      return 'Message';
    case 'Successful':
      return `${action}ResultEntry`;
    case 'Failed':
      return 'BatchResultErrorEntry';
    case 'Results':
      return `${action}ResultEntry`;
    case 'queueUrls':
      return 'QueueUrl';
    default:
      return member.replace(/s$/, '');
  }
};

const scalar = (value: unknown): string =>
  typeof value === 'string'
    ? escapeXml(value)
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';

const element = (name: string, content: string): string => `<${name}>${content}</${name}>`;

const structure = (action: string, value: JsonObject): string => {
  let xml = '';
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    if (Array.isArray(member)) {
      const name = resultListElement(action, key);
      for (const item of member) {
        xml += element(
          name,
          typeof item === 'object' && item !== null ? structure(action, item as JsonObject) : scalar(item),
        );
      }
    } else if (key === 'Attributes' && typeof member === 'object') {
      for (const [name, attr] of Object.entries(member as JsonObject)) {
        xml += element('Attribute', element('Name', escapeXml(name)) + element('Value', scalar(attr)));
      }
    } else if (key === 'MessageAttributes' && typeof member === 'object') {
      for (const [name, attr] of Object.entries(member as JsonObject)) {
        xml += element(
          'MessageAttribute',
          element('Name', escapeXml(name)) + element('Value', structure(action, attr as JsonObject)),
        );
      }
    } else if (key === 'Tags' && typeof member === 'object') {
      for (const [name, tag] of Object.entries(member as JsonObject)) {
        xml += element('Tag', element('Key', escapeXml(name)) + element('Value', scalar(tag)));
      }
    } else if (typeof member === 'object') {
      xml += element(key, structure(action, member as JsonObject));
    } else {
      xml += element(key, scalar(member));
    }
  }
  return xml;
};

/** The XML document of a successful query-protocol response. */
export const queryResponseXml = (action: string, output: JsonObject, requestId: string): string => {
  const result =
    Object.keys(output).length === 0 ? '' : element(`${action}Result`, structure(action, output));
  return (
    `<?xml version="1.0"?><${action}Response xmlns="${SQS_XML_NAMESPACE}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
};

/** The XML document of a query-protocol error. */
export const queryErrorXml = (
  fault: 'Sender' | 'Receiver',
  code: string,
  message: string,
  requestId: string,
): string =>
  `<?xml version="1.0"?><ErrorResponse xmlns="${SQS_XML_NAMESPACE}"><Error><Type>${fault}</Type>` +
  `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message><Detail/></Error>` +
  `<RequestId>${requestId}</RequestId></ErrorResponse>`;
