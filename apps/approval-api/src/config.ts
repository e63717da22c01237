import { EnvVars } from '@flow/contracts';
import { readOptionalEnv, readRequiredEnv } from '@flow/observability';
import type { JSONWebKeySet } from 'jose';

/**
 * Configuration of the approval-api functions, read from the environment on first use (the HTTP function and
 * the event function share this bundle but not all variables) and failing with a message naming the variable.
 */

export const readTableName = (): string => readRequiredEnv(EnvVars.ApprovalsTableName, 'the approvals table');

/** Issuer, audience and public keys of the approver tokens. */
export const readJwtConfig = (): { issuer: string; audience: string; jwks: JSONWebKeySet } => {
  const issuer = readRequiredEnv(EnvVars.JwtIssuer, 'the issuer of approver tokens');
  const audience = readRequiredEnv(EnvVars.JwtAudience, 'the audience of approver tokens');
  const jwksText = readRequiredEnv(
    EnvVars.JwtPublicJwks,
    'the JWKS (JSON) of the keys that sign approver tokens',
  );
  let jwks: unknown;
  try {
    jwks = JSON.parse(jwksText);
  } catch {
    throw new Error(
      `Environment variable ${EnvVars.JwtPublicJwks} is not JSON (expected a JWKS: {"keys":[...]})`,
    );
  }
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys)) {
    throw new Error(`Environment variable ${EnvVars.JwtPublicJwks} is not a JWKS (expected {"keys":[...]})`);
  }
  return { issuer, audience, jwks: jwks as JSONWebKeySet };
};

/** EventBridge sources trusted to decide approvals; empty (trust nobody) when unset. */
export const readTrustedSources = (): ReadonlySet<string> =>
  new Set(
    readOptionalEnv(EnvVars.TrustedDecisionSources, '')
      .split(',')
      .map((source) => source.trim())
      .filter((source) => source !== ''),
  );
