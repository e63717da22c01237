import { EventBridgeError } from './errors';
import { compilePattern, matchesPattern } from './pattern';

/** The event used by the 27 evaluation cases of local-runtime-deps.md §3. */
const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'OrderSubmitted',
  source: 'flow.orders',
  account: '123456789012',
  time: '2026-11-24T01:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    status: 'APPROVED',
    amount: 150,
    ip: '10.0.0.17',
    file: 'Report.PDF',
    tags: ['a', 'b'],
    customer: { tier: 'gold', country: 'US' },
    note: null,
  },
};

const detail = (pattern: object): object => ({ detail: pattern });

describe('matchesPattern: the 27 evaluation cases (local-runtime-deps.md §3)', () => {
  const cases: [string, object, boolean][] = [
    ['exact', detail({ status: ['APPROVED'] }), true],
    ['exact mismatch', detail({ status: ['REJECTED'] }), false],
    ['null', detail({ note: [null] }), true],
    ['prefix', detail({ status: [{ prefix: 'APP' }] }), true],
    ['suffix', detail({ file: [{ suffix: '.PDF' }] }), true],
    ['equals-ignore-case', detail({ file: [{ 'equals-ignore-case': 'report.pdf' }] }), true],
    ['prefix equals-ignore-case', detail({ status: [{ prefix: { 'equals-ignore-case': 'app' } }] }), true],
    ['wildcard', detail({ file: [{ wildcard: 'Rep*.PDF' }] }), true],
    ['anything-but list', detail({ status: [{ 'anything-but': ['REJECTED', 'PENDING'] }] }), true],
    ['anything-but prefix', detail({ status: [{ 'anything-but': { prefix: 'APP' } }] }), false],
    ['numeric range', detail({ amount: [{ numeric: ['>', 100, '<=', 200] }] }), true],
    ['numeric below', detail({ amount: [{ numeric: ['<', 100] }] }), false],
    ['numeric on a string', detail({ status: [{ numeric: ['>', 0] }] }), false],
    ['nested exists true', detail({ customer: { tier: [{ exists: true }] } }), true],
    ['exists false on a missing field', detail({ coupon: [{ exists: false }] }), true],
    ['exists false on a present field', detail({ status: [{ exists: false }] }), false],
    ['cidr', detail({ ip: [{ cidr: '10.0.0.0/24' }] }), true],
    ['$or nested in detail', detail({ $or: [{ status: ['NOPE'] }, { amount: [150] }] }), true],
    [
      'top-level $or source-or-detail',
      { $or: [{ source: ['other'] }, { detail: { status: ['APPROVED'] } }] },
      true,
    ],
    [
      'top-level $or with no branch matching',
      { $or: [{ source: ['other'] }, { detail: { status: ['X'] } }] },
      false,
    ],
    ['array element', detail({ tags: ['b'] }), true],
    ['array element prefix', detail({ tags: [{ prefix: 'b' }] }), true],
    ['nested object', detail({ customer: { tier: ['gold'], country: ['US'] } }), true],
    ['detail-type list', { 'detail-type': ['OrderApproved', 'OrderSubmitted'] }, true],
    ['account', { account: ['123456789012'] }, true],
    ['account mismatch', { account: ['999999999999'] }, false],
    ['source and detail together', { source: ['flow.orders'], detail: { amount: [150] } }, true],
  ];

  it.each(cases)('%s', (_name, pattern, expected) => {
    // Arrange / Act
    const result = matchesPattern(pattern, event);
    // Assert
    expect(result).toBe(expected);
  });
});

describe('matchesPattern: AWS documentation examples', () => {
  const ec2Event = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: {
      'instance-id': 'i-1234567890abcdef0',
      state: 'terminated',
      'c-count': 5,
      'd-count': 3,
      'x-limit': 301.8,
      'source-ip': '10.0.0.123',
      'source-ipv6': '2001:db8:0:0:0:ff00:42:8329',
      location: 'eu-west-1',
      filename: 'dir/lib/file.png',
    },
  };

  it.each<[string, object, boolean]>([
    [
      'source + detail-type',
      { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      true,
    ],
    [
      'resources element',
      { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] },
      true,
    ],
    ['prefix on region', { region: [{ prefix: 'us-' }] }, true],
    ['anything-but string', detail({ state: [{ 'anything-but': 'initializing' }] }), true],
    ['anything-but the value itself', detail({ state: [{ 'anything-but': 'terminated' }] }), false],
    ['anything-but number', detail({ 'x-limit': [{ 'anything-but': 123 }] }), true],
    ['anything-but numbers including the value', detail({ 'c-count': [{ 'anything-but': [5, 6] }] }), false],
    ['anything-but suffix', detail({ filename: [{ 'anything-but': { suffix: '.txt' } }] }), true],
    ['anything-but wildcard', detail({ filename: [{ 'anything-but': { wildcard: '*/lib/*' } }] }), false],
    [
      'anything-but wildcard list',
      detail({ filename: [{ 'anything-but': { wildcard: ['*/bin/*', '*.txt'] } }] }),
      true,
    ],
    [
      'anything-but equals-ignore-case list',
      detail({ state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'TERMINATED'] } }] }),
      false,
    ],
    [
      'anything-but prefix list',
      detail({ location: [{ 'anything-but': { prefix: ['us-', 'ap-'] } }] }),
      true,
    ],
    [
      'numeric AND of three fields',
      detail({
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      }),
      true,
    ],
    ['numeric >= boundary', detail({ 'c-count': [{ numeric: ['>=', 5] }] }), true],
    ['numeric > boundary', detail({ 'c-count': [{ numeric: ['>', 5] }] }), false],
    ['numeric range with open top', detail({ 'c-count': [{ numeric: ['>=', 1, '<', 5] }] }), false],
    ['exact number equals a float form', detail({ 'x-limit': [301.8] }), true],
    ['exact number does not match a string', detail({ 'instance-id': [5] }), false],
    ['cidr IPv4 outside', detail({ 'source-ip': [{ cidr: '10.0.1.0/24' }] }), false],
    ['cidr IPv6', detail({ 'source-ipv6': [{ cidr: '2001:db8::/32' }] }), true],
    ['cidr IPv6 outside', detail({ 'source-ipv6': [{ cidr: '2001:db9::/32' }] }), false],
    ['cidr IPv4 range against an IPv6 value', detail({ 'source-ipv6': [{ cidr: '0.0.0.0/0' }] }), false],
    ['wildcard in the middle', detail({ filename: [{ wildcard: 'dir/*/file.png' }] }), true],
    ['wildcard two stars', detail({ filename: [{ wildcard: '*/lib/*.png' }] }), true],
    ['wildcard no match', detail({ filename: [{ wildcard: '*.jpg' }] }), false],
    ['suffix equals-ignore-case', detail({ filename: [{ suffix: { 'equals-ignore-case': '.PNG' } }] }), true],
    ['exists true on an object (not a leaf)', { detail: [{ exists: true }] }, false],
    ['exists false on an object (not a leaf)', { detail: [{ exists: false }] }, true],
    ['exists false under a missing object', detail({ missing: { deeper: [{ exists: false }] } }), true],
    ['value list is an OR', detail({ state: ['pending', 'terminated'] }), true],
    [
      '$or with exists inside',
      detail({ $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'not-there': [{ exists: false }] }] }),
      true,
    ],
    [
      'nested $or inside $or',
      {
        source: ['aws.ec2'],
        $or: [
          { region: ['eu-west-1'] },
          { $or: [{ detail: { state: ['running'] } }, { detail: { 'c-count': [5] } }] },
        ],
      },
      true,
    ],
    [
      'two $or groups are ANDed',
      { $or: [{ source: ['aws.ec2'] }, { region: ['x'] }], 'detail-type': ['x'] },
      false,
    ],
    [
      'docs complex example (time prefix, anything-but numbers)',
      {
        time: [{ prefix: '2017-12-22' }],
        detail: {
          state: [{ 'anything-but': 'initializing' }],
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ 'anything-but': [100, 200, 300] }],
        },
      },
      true,
    ],
    [
      'docs $or example over three numeric fields',
      detail({
        $or: [
          { 'c-count': [{ numeric: ['>', 10] }] },
          { 'd-count': [{ numeric: ['>', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      }),
      true,
    ],
    [
      'docs $or example with source',
      {
        source: ['aws.ec2'],
        $or: [{ 'detail-type': ['CPUUtilization'] }, { region: ['us-west-1', 'us-east-1'] }],
      },
      true,
    ],
    ['time prefix mismatch', { time: [{ prefix: '2018' }] }, false],
    ['missing field', detail({ nothere: ['x'] }), false],
    ['anything-but on a missing field', detail({ nothere: [{ 'anything-but': 'x' }] }), false],
  ])('%s', (_name, pattern, expected) => {
    // Arrange / Act
    const result = matchesPattern(pattern, ec2Event);
    // Assert
    expect(result).toBe(expected);
  });
});

describe('matchesPattern: arrays, types and escapes', () => {
  it('matches within one element of an array of objects (array consistency)', () => {
    // Arrange
    const withItems = {
      detail: {
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 2 },
        ],
      },
    };
    // Act / Assert
    expect(matchesPattern(detail({ items: { sku: ['b'], qty: [2] } }), withItems)).toBe(true);
    expect(matchesPattern(detail({ items: { sku: ['a'], qty: [2] } }), withItems)).toBe(false);
  });

  it('matches booleans and null exactly, not as strings', () => {
    // Arrange
    const flags = { detail: { on: true, off: false, nothing: null, text: 'true' } };
    // Act / Assert
    expect(matchesPattern(detail({ on: [true], off: [false], nothing: [null] }), flags)).toBe(true);
    expect(matchesPattern(detail({ text: [true] }), flags)).toBe(false);
    expect(matchesPattern(detail({ on: ['true'] }), flags)).toBe(false);
    expect(matchesPattern(detail({ nothing: [{ exists: true }] }), flags)).toBe(true);
  });

  it('treats escaped stars and backslashes in wildcards literally', () => {
    // Arrange
    const files = { detail: { a: 'x*y', b: 'x\\y', c: 'xzy' } };
    // Act / Assert
    expect(matchesPattern(detail({ a: [{ wildcard: 'x\\*y' }] }), files)).toBe(true);
    expect(matchesPattern(detail({ c: [{ wildcard: 'x\\*y' }] }), files)).toBe(false);
    expect(matchesPattern(detail({ b: [{ wildcard: 'x\\\\y' }] }), files)).toBe(true);
  });

  it('does not match an empty event array, except for exists false', () => {
    // Arrange
    const empty = { detail: { tags: [] } };
    // Act / Assert
    expect(matchesPattern(detail({ tags: [{ exists: true }] }), empty)).toBe(false);
    expect(matchesPattern(detail({ tags: [{ exists: false }] }), empty)).toBe(true);
  });

  it('accepts a JSON string pattern and returns the compiled source', () => {
    // Arrange
    const source = '{"source":["flow.orders"]}';
    // Act
    const compiled = compilePattern(source);
    // Assert
    expect(compiled.source).toBe(source);
    expect(compiled.matches(event)).toBe(true);
  });

  it('does not treat inherited object properties as event fields', () => {
    // Arrange / Act / Assert
    expect(matchesPattern(detail({ constructor: [{ exists: true }] }), event)).toBe(false);
  });
});

describe('compilePattern validation', () => {
  it.each<[string, unknown, string]>([
    ['a non-object pattern', '["source"]', 'Filter is not an object'],
    ['a scalar field', { source: 'aws.ec2' }, '"source" must be an object or an array'],
    ['an empty array', { source: [] }, 'Empty arrays are not allowed'],
    ['an empty object', { detail: {} }, 'Empty objects are not allowed'],
    ['an unknown match type', { source: [{ regex: 'x' }] }, 'Unrecognized match type regex'],
    ['a nested array value', { source: [['x']] }, 'Match value must be String, number, true, false, or null'],
    ['a numeric prefix', { source: [{ prefix: 5 }] }, 'prefix match pattern must be a string'],
    [
      'two keys in a match expression',
      { source: [{ prefix: 'a', suffix: 'b' }] },
      'Only one key allowed in match expression',
    ],
    ['numeric not an array', { n: [{ numeric: '>' }] }, 'Value of numeric must be an array.'],
    ['a bad numeric operator', { n: [{ numeric: ['!=', 1] }] }, 'Unrecognized numeric range operator: !='],
    ['a string numeric operand', { n: [{ numeric: ['>', '1'] }] }, 'Value of > must be numeric'],
    ['an inverted range', { n: [{ numeric: ['>', 10, '<', 5] }] }, 'Bottom must be less than top'],
    [
      'a range with a wrong upper operator',
      { n: [{ numeric: ['>', 1, '>', 5] }] },
      'Bad numeric range operator: >',
    ],
    [
      'too many numeric terms',
      { n: [{ numeric: ['=', 1, '<', 5] }] },
      'Too many elements in numeric expression',
    ],
    ['exists not boolean', { n: [{ exists: 'yes' }] }, 'exists match pattern must be either true or false.'],
    ['a CIDR without a slash', { ip: [{ cidr: '10.0.0.1' }] }, "Malformed CIDR, one '/' required"],
    ['a CIDR with a bad prefix length', { ip: [{ cidr: '10.0.0.0/33' }] }, 'Invalid CIDR: 10.0.0.0/33'],
    [
      'anything-but with mixed types',
      { s: [{ 'anything-but': ['a', 1] }] },
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    ],
    [
      'anything-but with null',
      { s: [{ 'anything-but': [null] }] },
      'Inside anything but list, start|null|boolean is not supported.',
    ],
    [
      'anything-but with an unknown operator',
      { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'Unsupported anything-but pattern: numeric',
    ],
    [
      'anything-but prefix empty',
      { s: [{ 'anything-but': { prefix: '' } }] },
      'Null prefix/suffix not allowed',
    ],
    [
      'prefix with an unknown operator',
      { s: [{ prefix: { wildcard: 'a' } }] },
      'Unsupported prefix pattern: wildcard',
    ],
    ['consecutive wildcards', { s: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 2'],
    ['a bad escape in a wildcard', { s: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 2'],
    ['$or not an array', { $or: { a: ['x'] } }, 'It must be an Array followed with $or.'],
    [
      '$or with one object',
      { $or: [{ a: ['x'] }] },
      'There must have at least 2 Objects in $or relationship.',
    ],
    [
      '$or with a non-object',
      { $or: [{ a: ['x'] }, 'b'] },
      'Only JSON object is allowed in array of $or relationship.',
    ],
    [
      'a reserved name inside $or',
      { $or: [{ a: ['x'] }, { numeric: ['y'] }] },
      'numeric is Ruler reserved fieldName which cannot be used inside $or.',
    ],
  ])('fails when the pattern has %s', (_name, pattern, reason) => {
    // Arrange / Act
    const compile = (): unknown => compilePattern(pattern as object);
    // Assert
    expect(compile).toThrow(EventBridgeError);
    expect(compile).toThrow(`Event pattern is not valid. Reason: ${reason}`);
  });

  it('fails with InvalidEventPatternException for malformed JSON', () => {
    // Arrange / Act
    let error: unknown;
    try {
      compilePattern('{"source": [');
    } catch (caught) {
      error = caught;
    }
    // Assert
    expect(error).toBeInstanceOf(EventBridgeError);
    expect((error as EventBridgeError).code).toBe('InvalidEventPatternException');
    expect((error as EventBridgeError).status).toBe(400);
  });
});
