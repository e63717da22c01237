import type { Json } from './cases';
import { Comparator } from './compare';
import { compareHistory } from './history';

describe('Comparator', () => {
  const cmp = new Comparator([
    { regex: 'queue-000001', replacement: '<sqs_queue_url>' },
    { regex: 'x', replacement: 'table-name' },
  ]);

  it('matches placeholders, 12-digit accounts, timestamps and transformer replacements', () => {
    // Arrange
    const expected: Json = {
      arn: 'arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<uuid:1>',
      token: '<<task_token>:1>',
      when: 'timestamp',
      url: '<sqs_queue_url>',
      table: 'table-name',
      'x-amzn-RequestId': 'x-amzn-RequestId',
      date: 'Thu, 18 Apr 2024 06:27:01 GMT',
    };
    const actual = {
      arn: 'arn:aws:states:us-east-1:000000000000:execution:sm:run-1',
      token: 'AAAA==',
      when: new Date(0),
      url: 'http://127.0.0.1:4566/000000000000/q',
      table: 'orders',
      'x-amzn-RequestId': '5f1e',
      date: 'Tue, 24 Nov 2026 02:05:45 GMT',
    };
    // Act
    const mismatch = cmp.compare(expected, actual);
    // Assert
    expect(mismatch).toBeUndefined();
  });

  it('parses actual JSON text where the recording stored an object', () => {
    // Arrange / Act / Assert
    expect(cmp.compare({ a: [1, { b: true }] }, '{"a":[1,{"b":true}]}')).toBeUndefined();
  });

  it('fails when a value, a key or an array length differs, naming the path', () => {
    // Arrange / Act / Assert
    expect(cmp.compare({ a: { b: 1 } }, { a: { b: 2 } })).toStrictEqual({
      path: '$.a.b',
      expected: '1',
      actual: '2',
    });
    expect(cmp.compare({ a: 1 }, { a: 1, extra: 0 })).toStrictEqual({
      path: '$.extra',
      expected: '(absent)',
      actual: '0',
    });
    expect(cmp.compare([1, 2], [1])?.path).toBe('$.length');
    expect(cmp.compare('arn:<partition>:states', 'arn:aws:lambda')).toStrictEqual({
      path: '$',
      expected: '"arn:<partition>:states"',
      actual: '"arn:aws:lambda"',
    });
  });
});

describe('compareHistory', () => {
  const cmp = new Comparator([]);
  const ev = (id: number | number[], prev: number, type: string, name?: string): Json => ({
    id,
    previousEventId: prev,
    timestamp: 'timestamp',
    type,
    ...(name ? { stateEnteredEventDetails: { name } } : {}),
  });
  const actualEv = (id: number, prev: number, type: string, name?: string): Record<string, unknown> => ({
    id,
    previousEventId: prev,
    timestamp: new Date(0),
    type,
    ...(name ? { stateEnteredEventDetails: { name } } : {}),
  });

  it('compares a concurrent block as a multiset spanning the ids around it', () => {
    // Arrange: the recording lists 2 of the 3 events between ids 2 and 6 (it dropped ParallelStateSucceeded).
    const expected = [
      ev(1, 0, 'ParallelStateStarted'),
      ev([0], 0, 'PassStateEntered', 'B'),
      ev([0], 0, 'PassStateEntered', 'A'),
      ev(5, 3, 'ParallelStateExited'),
    ];
    const actual = [
      actualEv(1, 0, 'ParallelStateStarted'),
      actualEv(2, 1, 'PassStateEntered', 'A'),
      actualEv(3, 1, 'PassStateEntered', 'B'),
      actualEv(4, 3, 'ParallelStateSucceeded'),
      actualEv(5, 3, 'ParallelStateExited'),
    ];
    // Act
    const mismatch = compareHistory(cmp, expected, actual);
    // Assert
    expect(mismatch).toBeUndefined();
  });

  it('fails when the block holds fewer events than the ids show', () => {
    // Arrange
    const expected = [
      ev(1, 0, 'ParallelStateStarted'),
      ev([0], 0, 'PassStateEntered', 'A'),
      ev(4, 2, 'ParallelStateExited'),
    ];
    const actual = [
      actualEv(1, 0, 'ParallelStateStarted'),
      actualEv(2, 1, 'PassStateEntered', 'A'),
      actualEv(3, 2, 'ParallelStateExited'),
    ];
    // Act
    const mismatch = compareHistory(cmp, expected, actual);
    // Assert
    expect(mismatch?.path).toBe('events[1..2]');
  });

  it('fails when the event types differ in an ordinary history', () => {
    // Arrange
    const expected = [ev(1, 0, 'ExecutionStarted'), ev(2, 0, 'PassStateEntered', 'A')];
    const actual = [actualEv(1, 0, 'ExecutionStarted'), actualEv(2, 0, 'TaskStateEntered', 'A')];
    // Act
    const mismatch = compareHistory(cmp, expected, actual);
    // Assert
    expect(mismatch).toStrictEqual({
      path: 'history_types[1]',
      expected: '"PassStateEntered"',
      actual: '"TaskStateEntered"',
    });
  });
});
