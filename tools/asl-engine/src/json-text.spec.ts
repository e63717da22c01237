import {
  JacksonNumber,
  javaDoubleToString,
  mayHoldJacksonNumber,
  parseJsonText,
  plainJson,
  restoreJackson,
  stringifyJson,
} from './json-text';
import type { JsonValue } from './types';

/** Parse then write back: what AWS records for an execution input given as this text. */
function roundTrip(text: string): string {
  return stringifyJson(parseJsonText(text));
}

describe('parseJsonText / stringifyJson (numbers as AWS, Java/Jackson, writes them)', () => {
  it.each([
    ['0.0', '0.0'],
    ['1.0', '1.0'],
    ['-2.50', '-2.5'],
    ['1e2', '100.0'],
    ['1E+2', '100.0'],
    ['-0.0', '-0.0'],
    ['0.0001', '1.0E-4'],
    ['12345678.0', '1.2345678E7'],
    ['1e21', '1.0E21'],
    ['12345678901234567890', '12345678901234567890'],
    ['-98765432109876543210', '-98765432109876543210'],
  ])('writes %s back as %s', (text, expected) => {
    // Arrange / Act
    const written = roundTrip(text);
    // Assert
    expect(written).toBe(expected);
  });

  it.each([['0'], ['-7'], ['1.5'], ['0.001'], ['9007199254740991'], ['"1.0"'], ['true'], ['null']])(
    'leaves %s (which JavaScript writes as Jackson does) as JSON.parse reads it',
    (text) => {
      // Arrange / Act
      const value = parseJsonText(text);
      // Assert
      expect(value).toStrictEqual(JSON.parse(text));
      expect(stringifyJson(value)).toBe(JSON.stringify(JSON.parse(text)));
    },
  );

  it('keeps the doubles inside objects and arrays, and every other value as JSON.parse reads it', () => {
    // Arrange
    const text =
      '{"a": 1.0, "b": [1, 2.0, "3.0", {"c": 1e2}], "d": -2.50, "e": "x", "__proto__": {"f": 0.0}}';
    // Act
    const written = roundTrip(text);
    // Assert
    expect(written).toBe('{"a":1.0,"b":[1,2.0,"3.0",{"c":100.0}],"d":-2.5,"e":"x","__proto__":{"f":0.0}}');
  });

  it('keeps the last value of a key given twice, as JSON.parse and Jackson do', () => {
    // Arrange / Act
    const written = roundTrip('{"a": 1.0, "a": 2.0, "b": 3}');
    // Assert
    expect(written).toBe('{"a":2.0,"b":3}');
  });

  it('fails when the text is not JSON, with JSON.parse’s SyntaxError', () => {
    // Arrange / Act / Assert
    expect(() => parseJsonText('{"a": 1.0,}')).toThrow(SyntaxError);
    expect(() => parseJsonText('1.0.0')).toThrow(SyntaxError);
  });

  it('reads a Jackson double as a number: arithmetic, comparison, JSON.stringify', () => {
    // Arrange
    const value = parseJsonText('{"n": 2.0}') as { n: JsonValue };
    // Act
    const n = value.n as unknown as number;
    // Assert
    expect(value.n).toBeInstanceOf(JacksonNumber);
    expect(n + 1).toBe(3);
    expect(n > 1.5).toBe(true);
    expect(JSON.stringify(value)).toBe('{"n":2}');
  });

  it('gives expressions plain numbers and leaves trees without doubles untouched', () => {
    // Arrange
    const parsed = parseJsonText('{"a": {"n": 1.0}, "b": {"m": 1}, "c": [0.0, "x"]}') as Record<
      string,
      JsonValue
    >;
    // Act
    const plain = plainJson(parsed) as Record<string, JsonValue>;
    // Assert
    expect(plain).toStrictEqual({ a: { n: 1 }, b: { m: 1 }, c: [0, 'x'] });
    expect(plain['b']).toBe(parsed['b']);
    expect(plainJson(parseJsonText('{"z": 5}'))).toStrictEqual({ z: 5 });
  });

  it('gives back the containers an expression selected from a plain copy, and leaves computed values alone', () => {
    // Arrange
    const parsed = parseJsonText('{"a": {"n": 1.0}, "b": [2.0, 3]}') as Record<string, JsonValue>;
    const plain = plainJson(parsed) as Record<string, JsonValue>;
    // Act
    const built = restoreJackson({ a: plain['a'] ?? null, b: plain['b'] ?? null, n: 1, fresh: { m: 1 } });
    // Assert
    expect(stringifyJson(built)).toBe('{"a":{"n":1.0},"b":[2.0,3],"n":1,"fresh":{"m":1}}');
    expect(restoreJackson(plain)).toBe(parsed);
  });

  it('writes a string that looks like the internal marker as the string it is', () => {
    // Arrange
    const value = parseJsonText('["\\u001fjn0:1.0", 1.0]');
    // Act
    const written = stringifyJson(value);
    // Assert
    expect(written).toBe('["\\u001fjn0:1.0",1.0]');
  });
});

describe('mayHoldJacksonNumber (the fast check before JSON.parse)', () => {
  it.each([
    ['{"at": "2024-01-01T00:00:00.000Z", "id": "v1.0"}'],
    ['{"price": 12.50, "qty": 3, "rate": 0.25}'],
    ['[1, 2, 1700000000000]'],
    ['{"s": "1.0"}'],
  ])('lets JSON.parse read %s', (text) => {
    // Arrange / Act / Assert
    expect(mayHoldJacksonNumber(text)).toBe(false);
  });

  it.each([
    ['0.0'],
    [' 1.0 '],
    ['{"a":1.0}'],
    ['[2, 1e2]'],
    ['{"a": 0.0001}'],
    ['[12345678.5]'],
    ['[12345678901234567]'],
    ['{"a": [-1.00]}'],
  ])('reads %s number by number', (text) => {
    // Arrange / Act / Assert
    expect(mayHoldJacksonNumber(text)).toBe(true);
  });
});

describe('javaDoubleToString', () => {
  it.each([
    [1, '1.0'],
    [0.5, '0.5'],
    [0.001, '0.001'],
    [0.00012, '1.2E-4'],
    [9999999, '9999999.0'],
    [10000000, '1.0E7'],
    [1.5e300, '1.5E300'],
    [-3e-10, '-3.0E-10'],
  ])('renders %s as Double.toString does: %s', (value, expected) => {
    // Arrange / Act
    const text = javaDoubleToString(value);
    // Assert
    expect(text).toBe(expected);
  });
});
