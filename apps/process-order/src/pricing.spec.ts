import { currencyDigits, fromMinorUnits, isKnownCurrency, toMinorUnits } from './pricing';

describe('pricing', () => {
  it('knows the minor unit of each currency', () => {
    // Act
    const digits = ['EUR', 'JPY', 'BHD', 'USD'].map(currencyDigits);

    // Assert
    expect(digits).toStrictEqual([2, 0, 3, 2]);
  });

  it('rounds half away from zero without floating-point noise', () => {
    // Act
    const minor = [
      toMinorUnits(1.005, 2),
      toMinorUnits(19.9, 2),
      toMinorUnits(0.1 + 0.2, 2),
      toMinorUnits(99.5, 0),
    ];

    // Assert
    expect(minor).toStrictEqual([101, 1990, 30, 100]);
  });

  it('converts minor units back to exact major units', () => {
    // Act
    const major = [fromMinorUnits(5330, 2), fromMinorUnits(1234, 3), fromMinorUnits(7, 0)];

    // Assert
    expect(major).toStrictEqual([53.3, 1.234, 7]);
  });

  it('recognises ISO 4217 codes only', () => {
    // Act
    const known = ['EUR', 'GBP', 'XYZ', 'EURO'].map(isKnownCurrency);

    // Assert
    expect(known).toStrictEqual([true, true, false, false]);
  });
});
