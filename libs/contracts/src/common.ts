import { z } from 'zod';

/**
 * Building blocks shared by the message schemas. Each one says, in its error message, what a valid value looks like.
 */

/** An identifier chosen by a producer (order id, customer id, user id): printable, no spaces, at most 128 chars. */
export const IdentifierSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/,
    'must be letters, digits or . _ : @ - (starting with a letter or digit)',
  );

/** An ISO 8601 date-time with a zone designator, e.g. `2026-11-24T09:30:00Z` or `2026-11-24T10:30:00+01:00`. */
export const IsoDateTimeSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a zone',
});

/**
 * An ISO 4217 currency code as sent upstream. Case is not significant (`eur` is accepted); ProcessTask normalises it
 * to upper case and checks it is a currency the runtime knows (`Intl.supportedValuesOf('currency')`).
 */
export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 currency code');

/** An ISO 4217 currency code in its normalised (upper-case) form. */
export const NormalisedCurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter upper-case ISO 4217 currency code');

/** An ISO 3166-1 alpha-2 country code, e.g. `DE`. */
export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be a 2-letter upper-case ISO 3166-1 country code');

/** A money amount in major units (e.g. euros), finite and not negative. */
export const AmountSchema = z.number().finite().nonnegative();

/** A stock-keeping unit: letters, digits and `-`/`_`, at most 64 characters. */
export const SkuSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, - or _');

/** A Step Functions execution ARN (`$$.Execution.Id`), passed by the workflow for log correlation. */
export const ExecutionIdSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/,
    'must be a Step Functions execution ARN',
  );

/** A field-level problem found while validating a message: where (dot path) and what. */
export const FieldErrorSchema = z.object({
  /** Dot path of the offending field relative to the validated object, e.g. `lines.0.quantity`; `''` for the root. */
  path: z.string(),
  /** Human-readable reason. */
  message: z.string().min(1),
});
export type FieldError = z.infer<typeof FieldErrorSchema>;
