import { StatesError } from './errors';
import type { JsonValue } from './json';
import { evaluateIntrinsic, formatArgument } from './intrinsics/functions';
import { parseIntrinsic } from './intrinsics/parser';

const scope = {
  input: {
    name: 'World',
    list: [1, 2, 3, 4, 5],
    dup: [1, 1, 'a', 'a', { k: 1 }, { k: 1 }, [1], [1], null, null],
    obj: { a: 1, b: { c: [true, null] } },
    json: '{"a":[1,2]}',
    nested: { n: 2 },
  },
  context: { Execution: { Name: 'exec-42-x' }, StateMachine: { Id: 'arn:sm', Name: 'SM' } },
  variables: { base: 10 },
};

function run(expr: string): JsonValue {
  return evaluateIntrinsic(expr, scope);
}

function failure(expr: string): StatesError {
  try {
    run(expr);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error(`expected ${expr} to fail`);
}

describe('intrinsic function parsing', () => {
  it('parses nested calls, escaped strings, numbers, literals and paths', () => {
    // Arrange / Act
    const call = parseIntrinsic(
      "States.Array('it\\'s', -1.5, true, null, $.a[?(@.b == 'x, y')], States.UUID())",
    );
    // Assert
    expect(call).toStrictEqual({
      name: 'States.Array',
      args: [
        { kind: 'string', value: "it's", raw: "it\\'s" },
        { kind: 'literal', value: -1.5 },
        { kind: 'literal', value: true },
        { kind: 'literal', value: null },
        { kind: 'path', path: "$.a[?(@.b == 'x, y')]" },
        { kind: 'call', call: { name: 'States.UUID', args: [] } },
      ],
    });
  });

  it('fails when the expression is malformed', () => {
    // Arrange / Act
    const err = failure("States.Format('unterminated)");
    // Assert
    expect(err.error).toBe('States.Runtime');
    expect(err.cause).toContain('unterminated string');
  });

  it('fails when the function does not exist', () => {
    // Arrange / Act
    const err = failure('States.Nope(1)');
    // Assert
    expect(err.cause).toBe("The intrinsic function 'States.Nope' is not supported.");
  });
});

describe('States.Format', () => {
  it.each<[string, string]>([
    ["States.Format('Hello, {}!', $.name)", 'Hello, World!'],
    ["States.Format('{} and {}', 1, 1.5)", '1 and 1.5'],
    ["States.Format('n={}', null)", 'n=null'],
    ["States.Format('o={}', $.obj)", 'o={a=1, b={c=[true, null]}}'],
    [
      "States.Format('fst={} snd={}', $$.Execution.Name, $$.StateMachine)",
      'fst=exec-42-x snd={Id=arn:sm, Name=SM}',
    ],
    [
      "States.Format('braces \\{\\} and quote \\' and slash \\\\ {}', 'x')",
      "braces {} and quote ' and slash \\ x",
    ],
    ["States.Format('v={}', $base)", 'v=10'],
  ])('%s', (expr, expected) => {
    // Arrange / Act / Assert
    expect(run(expr)).toBe(expected);
  });

  it('fails when the arguments do not match the placeholders', () => {
    // Arrange / Act / Assert
    expect(failure("States.Format('{} {}', 1)").error).toBe('States.Runtime');
    expect(failure("States.Format('{}', 1, 2)").error).toBe('States.Runtime');
  });

  it('renders values as Java toString does', () => {
    // Arrange / Act / Assert
    expect(formatArgument([1, 'a', { k: false }])).toBe('[1, a, {k=false}]');
  });
});

describe('JSON and array functions', () => {
  it.each<[string, JsonValue]>([
    ['States.StringToJson($.json)', { a: [1, 2] }],
    ["States.StringToJson('')", null],
    ["States.StringToJson(' ')", null],
    ["States.StringToJson('-0')", 0],
    ['States.JsonToString($.obj)', '{"a":1,"b":{"c":[true,null]}}'],
    ['States.Array()', []],
    ["States.Array(1, 'two', $.nested)", [1, 'two', { n: 2 }]],
    ['States.ArrayPartition($.list, 2)', [[1, 2], [3, 4], [5]]],
    ['States.ArrayPartition($.list, 9)', [[1, 2, 3, 4, 5]]],
    ['States.ArrayContains($.list, 3)', true],
    ['States.ArrayContains($.dup, $.nested)', false],
    ['States.ArrayContains(States.Array($.obj), $.obj)', true],
    ['States.ArrayRange(1, 9, 2)', [1, 3, 5, 7, 9]],
    ['States.ArrayRange(10, 0, -5)', [10, 5, 0]],
    ['States.ArrayRange(1, 0, 1)', []],
    ['States.ArrayGetItem($.list, 4)', 5],
    ['States.ArrayLength($.list)', 5],
    ['States.ArrayUnique($.dup)', [1, 'a', { k: 1 }, [1], null]],
    ['States.JsonMerge($.obj, States.StringToJson(\'{"b":2,"z":0}\'), false)', { a: 1, b: 2, z: 0 }],
    ["States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), 1)", '42'],
  ])('%s', (expr, expected) => {
    // Arrange / Act / Assert
    expect(run(expr)).toStrictEqual(expected);
  });

  it('fails when ArrayRange would exceed 1000 items', () => {
    // Arrange / Act
    const err = failure('States.ArrayRange(1, 1001, 1)');
    // Assert
    expect(err.cause).toBe('States.ArrayRange would produce 1001 items, more than the maximum of 1000.');
  });

  it('fails when ArrayRange has a zero step or a non-integer argument', () => {
    // Arrange / Act / Assert
    expect(failure('States.ArrayRange(1, 5, 0)').error).toBe('States.Runtime');
    expect(failure('States.ArrayRange(1.5, 5, 1)').error).toBe('States.Runtime');
  });

  it('fails when ArrayGetItem is out of bounds', () => {
    // Arrange / Act
    const err = failure('States.ArrayGetItem($.list, 5)');
    // Assert
    expect(err.cause).toBe(
      'The index 5 given to States.ArrayGetItem is out of bounds for an array of length 5.',
    );
  });

  it('fails when an array function gets a non-array', () => {
    // Arrange / Act / Assert
    expect(failure('States.ArrayLength($.name)').cause).toBe(
      'The first argument of States.ArrayLength must be an array, but was string: "World"',
    );
  });

  it('fails when ArrayPartition gets a non-positive size', () => {
    // Arrange / Act / Assert
    expect(failure('States.ArrayPartition($.list, 0)').error).toBe('States.Runtime');
  });

  it('fails when JsonMerge is asked for a deep merge', () => {
    // Arrange / Act / Assert
    expect(failure('States.JsonMerge($.obj, $.nested, true)').cause).toBe(
      'States.JsonMerge supports only a shallow merge: its third argument must be false.',
    );
  });

  it('fails when StringToJson gets invalid JSON', () => {
    // Arrange / Act / Assert
    expect(failure("States.StringToJson('{nope')").error).toBe('States.Runtime');
  });

  it('fails when the argument count is wrong', () => {
    // Arrange / Act / Assert
    expect(failure('States.ArrayLength($.list, 1)').cause).toBe(
      'The function States.ArrayLength expects 1 argument, but 2 were provided.',
    );
  });
});

describe('string, encoding, hash, math and UUID functions', () => {
  it.each<[string, JsonValue]>([
    ["States.StringSplit('1,2,3', ',')", ['1', '2', '3']],
    ["States.StringSplit(', , ,', ',')", [' ', ' ']],
    ["States.StringSplit(',,,,', ',')", []],
    ["States.StringSplit('This.is+a,test=string', '.+,=')", ['This', 'is', 'a', 'test', 'string']],
    ["States.Base64Encode('Data to encode')", 'RGF0YSB0byBlbmNvZGU='],
    ["States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", 'Data to encode'],
    ["States.Base64Decode('')", ''],
    ["States.Hash('input data', 'MD5')", '812f45842bc6d66ee14572ce20db8e86'],
    ["States.Hash('abc', 'SHA-1')", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["States.Hash('abc', 'SHA-256')", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      "States.Hash('abc', 'SHA-384')",
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    ],
    [
      "States.Hash('abc', 'SHA-512')",
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
    ['States.MathAdd(111, -1)', 110],
    ['States.MathAdd($base, 2.5)', 13],
    ['States.MathRandom(1, 100, 42)', 63],
  ])('%s', (expr, expected) => {
    // Arrange / Act
    const value = run(expr);
    // Assert
    expect(value).toStrictEqual(expected);
  });

  it('returns a seeded MathRandom deterministically (java.util.Random) and an unseeded one within range', () => {
    // Arrange / Act
    const seeded = [run('States.MathRandom(1, 1000, 5)'), run('States.MathRandom(1, 1000, 5)')];
    const unseeded = Array.from({ length: 50 }, () => run('States.MathRandom(-5, 5)') as number);
    // Assert
    expect(seeded[0]).toBe(seeded[1]);
    expect(unseeded.every((n) => Number.isInteger(n) && n >= -5 && n < 5)).toBe(true);
  });

  it('returns a version-4 UUID', () => {
    // Arrange / Act
    const id = run('States.UUID()');
    // Assert
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('fails when Hash gets an unknown algorithm', () => {
    // Arrange / Act / Assert
    expect(failure("States.Hash('a', 'SHA-3')").cause).toBe(
      "The hash algorithm 'SHA-3' is not supported by States.Hash. Supported: MD5, SHA-1, SHA-256, SHA-384, SHA-512.",
    );
  });

  it('fails when Base64 input exceeds 10,000 characters', () => {
    // Arrange
    const big = { ...scope, input: { s: 'a'.repeat(10_001) } };
    // Act / Assert
    expect(() => evaluateIntrinsic('States.Base64Encode($.s)', big)).toThrow(StatesError);
    expect(() => evaluateIntrinsic('States.Base64Decode($.s)', big)).toThrow(StatesError);
    expect(() => evaluateIntrinsic("States.Hash($.s, 'MD5')", big)).toThrow(StatesError);
  });

  it('fails when Base64Decode gets text that is not base64', () => {
    // Arrange / Act / Assert
    expect(failure("States.Base64Decode('***')").error).toBe('States.Runtime');
  });

  it('fails when MathRandom end is not above start', () => {
    // Arrange / Act / Assert
    expect(failure('States.MathRandom(5, 5)').error).toBe('States.Runtime');
  });

  it('fails when a path argument is missing, naming the field', () => {
    // Arrange / Act
    let err: StatesError | undefined;
    try {
      evaluateIntrinsic('States.ArrayLength($.nope)', scope, { fieldName: 'len.$' });
    } catch (e) {
      err = e as StatesError;
    }
    // Assert
    expect(err?.cause).toMatch(
      /^The JSONPath '\$\.nope' specified for the field 'len\.\$' could not be found in the input/,
    );
  });
});
