import { StatesError } from './errors';
import type { JsonValue } from './json';
import { evaluateJsonPath, JsonPathSyntaxError, parseJsonPath } from './jsonpath';
import { evaluatePathOrVariable, isReferencePath, readPath, readPathForField } from './paths';

// The AWS documentation's JSONPath examples (Paths / Reference Paths / InputPath pages).
const store: JsonValue = {
  foo: 123,
  bar: ['a', 'b', 'c'],
  car: { cdr: true },
  'a b': 'spaced',
  items: [
    { name: 'pen', price: 1, tags: ['x'] },
    { name: 'book', price: 12, tags: [] },
    { name: 'lamp', price: 30 },
  ],
};

function caught(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

describe('JSONPath reading', () => {
  it.each<[string, JsonValue]>([
    ['$', store],
    ['$.foo', 123],
    ['$.bar', ['a', 'b', 'c']],
    ['$.car.cdr', true],
    ["$['a b']", 'spaced'],
    ['$["car"]["cdr"]', true],
    ['$.bar[0]', 'a'],
    ['$.bar[-1]', 'c'],
    ['$.items[1].name', 'book'],
  ])('reads the definite path %s as one value', (path, expected) => {
    // Arrange / Act
    const value = readPath(path, store);
    // Assert
    expect(value).toStrictEqual(expected);
  });

  it.each<[string, JsonValue]>([
    ['$.bar[*]', ['a', 'b', 'c']],
    ['$.bar[0:2]', ['a', 'b']],
    ['$.bar[1:]', ['b', 'c']],
    ['$.bar[:-1]', ['a', 'b']],
    ['$.bar[0,2]', ['a', 'c']],
    ['$.items[*].name', ['pen', 'book', 'lamp']],
    ['$.items[?(@.price > 10)].name', ['book', 'lamp']],
    ['$.items[?(@.price >= 12 && @.price < 30)].name', ['book']],
    ['$.items[?(@.price == 1 || @.name == "lamp")].name', ['pen', 'lamp']],
    ["$.items[?(@.name == 'pen')].price", [1]],
    ['$.items[?(@.tags)].name', ['pen', 'book']],
    ['$.items[?(!(@.price > 10))].name', ['pen']],
    ['$.items[?(@.name =~ /^b.*/)].name', ['book']],
    ["$.items[?(@.name in ['pen','lamp'])].price", [1, 30]],
    ['$..name', ['pen', 'book', 'lamp']],
    ['$..cdr', [true]],
    ['$..[?(@.price > 10)].name', ['book', 'lamp']],
    ['$..tags[0]', ['x']],
    ['$.car.*', [true]],
    ['$.items[?(@.price > 100)]', []],
    ['$.nothing[*]', []],
  ])('reads the indefinite path %s as an array of matches', (path, expected) => {
    // Arrange / Act
    const value = readPath(path, store);
    // Assert
    expect(value).toStrictEqual(expected);
  });

  it('fails when the last step of a definite path is missing, with Jayway wording', () => {
    // Arrange / Act
    const err = caught(() => readPath('$.x', { a: 1 }));
    // Assert
    expect([err.error, err.cause]).toStrictEqual([
      'States.Runtime',
      "Invalid path '$.x' : No results for path: $['x']",
    ]);
  });

  it('fails when an intermediate step is missing, naming the first missing property', () => {
    // Arrange / Act
    const err = caught(() => readPath('$.no.such.result.path', {}));
    // Assert
    expect(err.cause).toBe("Invalid path '$.no.such.result.path' : Missing property in path $['no']");
  });

  it('fails when an array index is out of range', () => {
    // Arrange / Act
    const err = caught(() => readPath('$.bar[7]', store));
    // Assert
    expect(err.cause).toBe("Invalid path '$.bar[7]' : No results for path: $['bar'][7]");
  });

  it('fails when a field path is missing, quoting the field and the input', () => {
    // Arrange / Act
    const err = caught(() => readPathForField('$.no_such_jsonpath', { a: 1 }, 'value.$'));
    // Assert
    expect([err.error, err.cause]).toStrictEqual([
      'States.Runtime',
      "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'",
    ]);
  });

  it('fails when the path does not parse', () => {
    // Arrange / Act / Assert
    expect(() => parseJsonPath('$.a[')).toThrow(JsonPathSyntaxError);
    expect(() => parseJsonPath('a.b')).toThrow(JsonPathSyntaxError);
  });

  it('does not read inherited properties', () => {
    // Arrange / Act
    const value = evaluateJsonPath('$.items[?(@.toString)]', store);
    // Assert
    expect(value).toStrictEqual([]);
  });

  it('recognises Reference Paths (definite) and rejects wildcards and filters', () => {
    // Arrange / Act / Assert
    expect(['$', '$.a.b', "$['a'][0]"].map(isReferencePath)).toStrictEqual([true, true, true]);
    expect(['$.a[*]', '$..a', '$.a[?(@.b)]', '$.a[0:1]', 'nope'].map(isReferencePath)).toStrictEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('context and variable paths', () => {
  const scope = {
    input: { x: 1 },
    context: { Execution: { Name: 'run-1', Input: { x: 1 } }, Task: { Token: 'tok' } },
    variables: { counter: 3, order: { id: 'o-1', lines: [{ sku: 'A' }] } },
  };

  it.each<[string, JsonValue]>([
    ['$', { x: 1 }],
    ['$.x', 1],
    ['$$.Execution.Name', 'run-1'],
    ['$$.Task.Token', 'tok'],
    ['$$', scope.context],
    ['$counter', 3],
    ['$order.id', 'o-1'],
    ['$order.lines[0].sku', 'A'],
  ])('evaluates %s', (expr, expected) => {
    // Arrange / Act
    const value = evaluatePathOrVariable(expr, scope);
    // Assert
    expect(value).toStrictEqual(expected);
  });

  it('fails when a variable is not defined', () => {
    // Arrange / Act
    const err = caught(() => evaluatePathOrVariable('$missing.a', scope));
    // Assert
    expect([err.error, err.cause]).toStrictEqual([
      'States.Runtime',
      "Invalid path '$missing.a' : The variable '$missing' is not defined",
    ]);
  });

  it('fails when a context path named by a field is missing, quoting the state input as AWS does', () => {
    // Arrange / Act
    const err = caught(() => evaluatePathOrVariable('$$.Execution.Input.no_such_jsonpath', scope, 'value.$'));
    // Assert
    expect(err.cause).toBe(
      "The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"x\":1}'",
    );
  });

  it('fails when a context path is missing, quoting the context path', () => {
    // Arrange / Act
    const err = caught(() => evaluatePathOrVariable('$$.Map.Item.Value', scope));
    // Assert
    expect(err.cause).toBe("Invalid path '$$.Map.Item.Value' : Missing property in path $['Map']");
  });
});

describe('bracket names with escapes', () => {
  it('keeps a backslash in a quoted name, as AWS does', () => {
    // Arrange
    const data = { 'Test\\""Name"': 'Value"\\' };
    // Act
    const value = readPath(`$['Test\\""Name"']`, data);
    // Assert
    expect(value).toBe('Value"\\');
  });

  it('reads an escaped delimiter quote as the quote', () => {
    // Arrange / Act / Assert
    expect(readPath("$['it\\'s']", { "it's": 1 })).toBe(1);
  });
});
