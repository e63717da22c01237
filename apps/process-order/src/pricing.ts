/**
 * Money arithmetic in integer minor units (cents), so totals are exact and rounding happens once, per unit price,
 * to the currency's ISO 4217 minor unit as the runtime's ICU data knows it (EUR 2, JPY 0, BHD 3).
 */

/** Whether the runtime knows `code` as an ISO 4217 currency (`Intl.supportedValuesOf('currency')`). */
export const isKnownCurrency = (code: string): boolean => knownCurrencies().has(code);

let currencies: ReadonlySet<string> | undefined;
const knownCurrencies = (): ReadonlySet<string> =>
  (currencies ??= new Set(Intl.supportedValuesOf('currency')));

const digitsByCurrency = new Map<string, number>();

/**
 * Digits after the decimal point of a currency's minor unit, e.g. `currencyDigits('JPY') === 0`. Remembered per
 * currency: building an `Intl.NumberFormat` costs more than pricing the order (≈ 1% of a warm invocation's CPU).
 */
export const currencyDigits = (currency: string): number => {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
};

/**
 * Converts a major-unit amount to integer minor units, rounding half away from zero. `toPrecision(15)` first
 * removes binary floating-point noise, so `1.005` EUR becomes 101 cents, not 100.
 */
export const toMinorUnits = (amount: number, digits: number): number =>
  Math.round(Number((amount * 10 ** digits).toPrecision(15)));

/** Converts integer minor units back to a major-unit number (exact to `digits` decimals). */
export const fromMinorUnits = (minor: number, digits: number): number =>
  Number((minor / 10 ** digits).toFixed(digits));
