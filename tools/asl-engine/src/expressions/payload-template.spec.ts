import { StatesError } from './errors';
import type { JsonValue } from './json';
import { applyPayloadTemplate } from './payload-template';
import { writeResultPath } from './result-path';

const scope = {
  input: {
    comment: 'Example',
    product: { details: { color: 'blue', size: 'small' }, availability: 'in stock' },
  },
  context: { Execution: { Id: 'arn:exec' }, Map: { Item: { Index: 2, Value: 'v' } } },
  variables: { total: 7 },
};

describe('payload templates', () => {
  it('resolves .$ keys from the input, the context object, variables and intrinsics (AWS docs example)', () => {
    // Arrange
    const template: JsonValue = {
      comment: 'Selecting what I care about.',
      MyDetails: {
        'size.$': '$.product.details.size',
        'exists.$': '$.product.availability',
        StaticValue: 'foo',
      },
      'execution.$': '$$.Execution.Id',
      'index.$': '$$.Map.Item.Index',
      'total.$': '$total',
      'greeting.$': "States.Format('{} is {}', $.comment, $.product.details.color)",
      list: [{ 'c.$': '$.product.details.color' }, 'plain', 3],
    };
    // Act
    const out = applyPayloadTemplate(template, scope, 'Parameters');
    // Assert
    expect(out).toStrictEqual({
      comment: 'Selecting what I care about.',
      MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
      execution: 'arn:exec',
      index: 2,
      total: 7,
      greeting: 'Example is blue',
      list: [{ c: 'blue' }, 'plain', 3],
    });
  });

  it('keeps non-template values, including strings that look like paths, as written', () => {
    // Arrange / Act
    const out = applyPayloadTemplate({ a: '$.product', b: null, c: false, d: 0 }, scope, 'Parameters');
    // Assert
    expect(out).toStrictEqual({ a: '$.product', b: null, c: false, d: 0 });
  });

  it('fails when a .$ path is missing, naming the key and quoting the input', () => {
    // Arrange
    let err: StatesError | undefined;
    // Act
    try {
      applyPayloadTemplate({ 'value.$': '$.no_such_jsonpath' }, { ...scope, input: { a: 1 } }, 'Parameters');
    } catch (e) {
      err = e as StatesError;
    }
    // Assert
    expect([err?.error, err?.cause]).toStrictEqual([
      'States.Runtime',
      "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'",
    ]);
  });

  it('fails when a .$ value is neither a path nor an intrinsic', () => {
    // Arrange / Act / Assert
    expect(() => applyPayloadTemplate({ 'v.$': 'hello' }, scope, 'Parameters')).toThrow(StatesError);
    expect(() => applyPayloadTemplate({ 'v.$': 3 }, scope, 'Parameters')).toThrow(StatesError);
  });
});

describe('ResultPath', () => {
  const input: JsonValue = { comment: 'This is a test', details: 'Default example', who: 'Step Functions' };

  it('replaces the input when ResultPath is $ or absent', () => {
    // Arrange / Act / Assert
    expect(writeResultPath(input, '$', 'Hello, Step Functions!')).toBe('Hello, Step Functions!');
    expect(writeResultPath(input, undefined, 0)).toBe(0);
    expect(writeResultPath(input, '$', false)).toBe(false);
  });

  it('discards the result when ResultPath is null', () => {
    // Arrange / Act / Assert
    expect(writeResultPath(input, null, 'ignored')).toStrictEqual(input);
  });

  it('inserts the result at a path, creating intermediate objects, without mutating the input', () => {
    // Arrange
    const before = structuredClone(input);
    // Act
    const out = writeResultPath(input, '$.taskresult.inner', 'Hello!');
    // Assert
    expect(out).toStrictEqual({ ...input, taskresult: { inner: 'Hello!' } });
    expect(input).toStrictEqual(before);
  });

  it('overwrites an existing field and writes into arrays by index', () => {
    // Arrange / Act / Assert
    expect(writeResultPath({ a: { b: 1, c: 2 } }, '$.a.b', { x: 1 })).toStrictEqual({
      a: { b: { x: 1 }, c: 2 },
    });
    expect(writeResultPath({ a: [1, 2] }, '$.a[1]', 'z')).toStrictEqual({ a: [1, 'z'] });
    expect(writeResultPath({ a: 1 }, "$['b c']", 2)).toStrictEqual({ a: 1, 'b c': 2 });
  });

  it('fails when a step goes through a value that is not an object', () => {
    // Arrange
    let err: StatesError | undefined;
    // Act
    try {
      writeResultPath({ a: 'text' }, '$.a.b', 1);
    } catch (e) {
      err = e as StatesError;
    }
    // Assert
    expect([err?.error, err?.cause]).toStrictEqual([
      'States.ResultPathMatchFailure',
      'Unable to apply ReferencePath $.a.b to input {"a":"text"}',
    ]);
  });

  it('fails when the input is not an object', () => {
    // Arrange / Act / Assert
    expect(() => writeResultPath('plain', '$.x', 1)).toThrow(StatesError);
    expect(() => writeResultPath({ a: [1] }, '$.a[3]', 1)).toThrow(StatesError);
  });
});
