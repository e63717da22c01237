import type { z } from 'zod';
import type { FieldError } from './common';

/**
 * Turns a zod error into the `{ path, message }` list the workflow reports, e.g.
 * `[{ path: 'lines.0.quantity', message: 'Too small: expected number to be >0' }]`.
 */
export const toFieldErrors = (error: z.ZodError): FieldError[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));

/**
 * One line of text for a Fail state's Cause (at most `maxLength` characters), e.g.
 * `2 validation errors: lines.0.quantity: Too small: expected number to be >0; currency: must be a 3-letter ...`.
 */
export const describeFieldErrors = (errors: readonly FieldError[], maxLength = 4_000): string => {
  const count = `${errors.length} validation error${errors.length === 1 ? '' : 's'}`;
  const details = errors
    .map(({ path, message }) => `${path === '' ? '(root)' : path}: ${message}`)
    .join('; ');
  const text = `${count}: ${details}`;
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
};
