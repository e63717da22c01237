import { evaluateChoiceRule, stringMatches } from './choice';
import { StatesError } from './errors';
import type { JsonObject, JsonValue } from './json';
import { parseTimestamp } from './timestamp';

const input: JsonValue = {
  str: 'B',
  num: 10,
  float: 2.5,
  bool: true,
  nul: null,
  ts: '2016-03-14T01:59:00Z',
  tsOffset: '2016-03-14T03:59:00+02:00',
  tsFrac: '2016-03-14T01:59:00.000000001Z',
  other: { str: 'B', num: 20, ts: '2016-03-14T02:00:00Z', bool: true },
  file: 'log-2024.txt',
};
const scope = { input, context: { Execution: { Name: 'B' } }, variables: { limit: 10 } };

function check(rule: JsonObject): boolean {
  return evaluateChoiceRule(rule, scope);
}

describe('Choice comparison operators', () => {
  it.each<[JsonObject, boolean]>([
    [{ Variable: '$.str', StringEquals: 'B' }, true],
    [{ Variable: '$.str', StringEquals: 'b' }, false],
    [{ Variable: '$.str', StringLessThan: 'C' }, true],
    [{ Variable: '$.str', StringGreaterThan: 'A' }, true],
    [{ Variable: '$.str', StringLessThanEquals: 'B' }, true],
    [{ Variable: '$.str', StringGreaterThanEquals: 'C' }, false],
    [{ Variable: '$.num', StringEquals: '10' }, false],
    [{ Variable: '$.num', NumericEquals: 10 }, true],
    [{ Variable: '$.float', NumericLessThan: 3 }, true],
    [{ Variable: '$.num', NumericGreaterThan: 10 }, false],
    [{ Variable: '$.num', NumericLessThanEquals: 10 }, true],
    [{ Variable: '$.num', NumericGreaterThanEquals: 10.5 }, false],
    [{ Variable: '$.str', NumericEquals: 10 }, false],
    [{ Variable: '$.bool', BooleanEquals: true }, true],
    [{ Variable: '$.str', BooleanEquals: true }, false],
    [{ Variable: '$.ts', TimestampEquals: '2016-03-14T01:59:00Z' }, true],
    [{ Variable: '$.tsOffset', TimestampEquals: '2016-03-14T01:59:00Z' }, true],
    [{ Variable: '$.tsFrac', TimestampGreaterThan: '2016-03-14T01:59:00Z' }, true],
    [{ Variable: '$.ts', TimestampLessThan: '2016-03-14T02:00:00Z' }, true],
    [{ Variable: '$.ts', TimestampGreaterThanEquals: '2016-03-14T01:59:00Z' }, true],
    [{ Variable: '$.ts', TimestampLessThanEquals: '2016-03-14T01:58:59Z' }, false],
    [{ Variable: '$.str', TimestampEquals: '2016-03-14T01:59:00Z' }, false],
    [{ Variable: '$.file', StringMatches: 'log-*.txt' }, true],
    [{ Variable: '$.file', StringMatches: '*.csv' }, false],
  ])('%j is %s', (rule, expected) => {
    // Arrange / Act / Assert
    expect(check(rule)).toBe(expected);
  });

  it.each<[JsonObject, boolean]>([
    [{ Variable: '$.str', StringEqualsPath: '$.other.str' }, true],
    [{ Variable: '$.str', StringLessThanPath: '$$.Execution.Name' }, false],
    [{ Variable: '$.num', NumericLessThanPath: '$.other.num' }, true],
    [{ Variable: '$.num', NumericEqualsPath: '$limit' }, true],
    [{ Variable: '$.bool', BooleanEqualsPath: '$.other.bool' }, true],
    [{ Variable: '$.ts', TimestampLessThanPath: '$.other.ts' }, true],
    [{ Variable: '$.ts', TimestampGreaterThanEqualsPath: '$.other.ts' }, false],
    [{ Variable: '$.str', StringGreaterThanEqualsPath: '$.other.str' }, true],
  ])('path form %j is %s', (rule, expected) => {
    // Arrange / Act / Assert
    expect(check(rule)).toBe(expected);
  });

  it.each<[JsonObject, boolean]>([
    [{ Variable: '$.nul', IsNull: true }, true],
    [{ Variable: '$.str', IsNull: true }, false],
    [{ Variable: '$.str', IsPresent: true }, true],
    [{ Variable: '$.missing', IsPresent: false }, true],
    [{ Variable: '$.missing.deeper', IsPresent: true }, false],
    [{ Variable: '$.num', IsNumeric: true }, true],
    [{ Variable: '$.str', IsNumeric: false }, true],
    [{ Variable: '$.str', IsString: true }, true],
    [{ Variable: '$.bool', IsBoolean: true }, true],
    [{ Variable: '$.ts', IsTimestamp: true }, true],
    [{ Variable: '$.str', IsTimestamp: false }, true],
  ])('type test %j is %s', (rule, expected) => {
    // Arrange / Act / Assert
    expect(check(rule)).toBe(expected);
  });

  it('combines rules with And, Or and Not', () => {
    // Arrange
    const rule: JsonObject = {
      And: [
        { Variable: '$.num', NumericGreaterThan: 5 },
        {
          Or: [
            { Variable: '$.str', StringEquals: 'X' },
            { Not: { Variable: '$.bool', BooleanEquals: false } },
          ],
        },
      ],
    };
    // Act / Assert
    expect(check(rule)).toBe(true);
    expect(check({ Not: rule })).toBe(false);
  });

  it('fails when the Variable path is missing', () => {
    // Arrange
    let err: StatesError | undefined;
    // Act
    try {
      check({ Variable: '$.missing', StringEquals: 'x' });
    } catch (e) {
      err = e as StatesError;
    }
    // Assert
    expect([err?.error, err?.cause]).toStrictEqual([
      'States.Runtime',
      "Invalid path '$.missing': The choice state's condition path references an invalid value.",
    ]);
  });

  it('fails when the operand path of a ...Path operator is missing', () => {
    // Arrange / Act / Assert
    expect(() => check({ Variable: '$.num', NumericEqualsPath: '$.nope' })).toThrow(StatesError);
  });
});

describe('StringMatches', () => {
  it.each<[string, string, boolean]>([
    ['log-2024.txt', 'log-*', true],
    ['log-2024.txt', '*2024*', true],
    ['a*b', 'a\\*b', true],
    ['axb', 'a\\*b', false],
    ['a\\b', 'a\\\\b', true],
    ['(x).[y]', '(x).[*]', true],
    ['', '*', true],
    ['abc', 'ab', false],
  ])('%s matches %s: %s', (value, pattern, expected) => {
    // Arrange / Act / Assert
    expect(stringMatches(value, pattern)).toBe(expected);
  });
});

describe('timestamps', () => {
  it.each([
    '2016-03-14T01:59:00Z',
    '2016-03-14T01:59:00.5Z',
    '2016-02-29T00:00:00-08:00',
    '2016-03-05T21:29:29.243167252Z',
  ])('accepts %s', (text) => {
    // Arrange / Act / Assert
    expect(parseTimestamp(text)).not.toBeUndefined();
  });

  it.each([
    '2016-12-05T21:29:29',
    '2016-12-05 21:29:29Z',
    '05-12-2016T21:29:29Z',
    '2015-02-29T00:00:00Z',
    '2016-03-14T24:00:00Z',
    'x',
  ])('fails when given %s', (text) => {
    // Arrange / Act / Assert
    expect(parseTimestamp(text)).toBeUndefined();
  });
});
