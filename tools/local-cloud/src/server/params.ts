import { missingMember, tooLong, wrongType } from './aws-error';

/** A JSON object as decoded from a request body. */
export type JsonObject = { [key: string]: unknown };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Typed, validating access to the members of a request: a missing required member or one of the wrong type is
 * answered with the `ValidationException` AWS gives, naming the member.
 */
export class Params {
  constructor(readonly raw: JsonObject) {}

  /** A required string member (optionally with a maximum length, as the service model declares). */
  string(name: string, maxLength?: number): string {
    const value = this.optionalString(name, maxLength);
    if (value === undefined) throw missingMember(name);
    return value;
  }

  optionalString(name: string, maxLength?: number): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw wrongType(name, 'a string');
    if (maxLength !== undefined && value.length > maxLength) throw tooLong(name, maxLength);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(name, 'a number');
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw wrongType(name, 'a boolean');
    return value;
  }

  /** A required list member. */
  list(name: string): unknown[] {
    const value = this.optionalList(name);
    if (value === undefined) throw missingMember(name);
    return value;
  }

  optionalList(name: string): unknown[] | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw wrongType(name, 'a list');
    return value;
  }

  optionalObject(name: string): JsonObject | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value)) throw wrongType(name, 'a structure');
    return value;
  }
}

/**
 * Drops `undefined` members, so an object can be passed where `exactOptionalPropertyTypes` forbids explicit
 * `undefined` values.
 */
export const compact = <T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } => {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = member;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
};
