import { md5OfBody, md5OfMessageAttributes } from './md5';

describe('md5OfBody', () => {
  it('is the MD5 of the UTF-8 body, as in an SQS event AWS delivered', () => {
    // Arrange / Act / Assert ("Sample content." from a real SQS-triggered Lambda event)
    expect(md5OfBody('Sample content.')).toBe('b58e1d0a86521415d25b85b89f6ad6cd');
    expect(md5OfBody('hello wörld')).toBe('8c6e15df743a0380aaa26e5741794d7b');
  });
});

describe('md5OfMessageAttributes', () => {
  it('matches the digest AWS delivered for one string attribute', () => {
    // Arrange (attribute and md5OfMessageAttributes of a real SQS-triggered Lambda event)
    const attributes = { 'sample-attribute': { DataType: 'String', StringValue: 'sample-value' } };
    // Act
    const md5 = md5OfMessageAttributes(attributes);
    // Assert
    expect(md5).toBe('7c815262be77a62f56671125069ca888');
  });

  it('sorts names and encodes String, Number, Binary and custom types (independently computed vector)', () => {
    // Arrange: the vector was computed with a separate Python implementation of the AWS algorithm
    const attributes = {
      zé: { DataType: 'String.custom', StringValue: 'ünïcode' },
      kind: { DataType: 'String', StringValue: 'approval' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 255]).toString('base64') },
      amount: { DataType: 'Number', StringValue: '150' },
    };
    // Act
    const md5 = md5OfMessageAttributes(attributes);
    // Assert
    expect(md5).toBe('676a85d9c77c5b474c4b6d6e69fa41b5');
    expect(md5OfMessageAttributes({ kind: { DataType: 'String', StringValue: 'approval' } })).toBe(
      '343240345bf69da351d5ecd1290823ce',
    );
  });

  it('accepts binary values as raw bytes or base64 alike', () => {
    // Arrange
    const bytes = new Uint8Array([0, 1, 255]);
    // Act / Assert
    expect(md5OfMessageAttributes({ b: { DataType: 'Binary', BinaryValue: bytes } })).toBe(
      md5OfMessageAttributes({
        b: { DataType: 'Binary', BinaryValue: Buffer.from(bytes).toString('base64') },
      }),
    );
  });

  it('is undefined without attributes', () => {
    // Arrange / Act / Assert
    expect(md5OfMessageAttributes(undefined)).toBeUndefined();
    expect(md5OfMessageAttributes({})).toBeUndefined();
  });
});
