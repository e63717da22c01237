import { EnvVars, type IdentityClaims, LOCAL_USERS, LocalIdentity } from '@flow/contracts';
import type { JSONWebKeySet, JWK } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSigningKeys, issueToken, type SigningKeys } from './issue';

/**
 * The local identity provider: one ES256 key pair under `<dataDir>/identity/`, tokens for the named
 * {@link LOCAL_USERS}. The local cloud sets {@link localJwtEnvironment} on the approval-api functions and its
 * `token` CLI command calls {@link issueLocalToken}.
 */

const PRIVATE_KEY_FILE = 'private.jwk.json';
const PUBLIC_KEYS_FILE = 'public.jwks.json';

// Duck-typed: fs errors may come from another realm (e.g. under Jest), where `instanceof Error` is false.
const isMissingFile = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

/** Reads the local signing keys from `<dataDir>/identity/`, generating them on first use. */
export const ensureLocalSigningKeys = async (dataDir: string): Promise<SigningKeys> => {
  const dir = path.join(dataDir, LocalIdentity.keysDir);
  try {
    const privateJwk = JSON.parse(await readFile(path.join(dir, PRIVATE_KEY_FILE), 'utf8')) as JWK;
    const publicJwks = JSON.parse(await readFile(path.join(dir, PUBLIC_KEYS_FILE), 'utf8')) as JSONWebKeySet;
    return { privateJwk, publicJwks };
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
  const keys = await generateSigningKeys(LocalIdentity.keyId);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, PRIVATE_KEY_FILE), JSON.stringify(keys.privateJwk), { mode: 0o600 });
  await writeFile(path.join(dir, PUBLIC_KEYS_FILE), JSON.stringify(keys.publicJwks));
  return keys;
};

/** The environment variables approval-api needs to accept local tokens. */
export const localJwtEnvironment = (keys: SigningKeys): Record<string, string> => ({
  [EnvVars.JwtIssuer]: LocalIdentity.issuer,
  [EnvVars.JwtAudience]: LocalIdentity.audience,
  [EnvVars.JwtPublicJwks]: JSON.stringify(keys.publicJwks),
});

/** Looks a local user up by `sub` (e.g. `alice`); throws naming the known users. */
export const findLocalUser = (sub: string): IdentityClaims => {
  const user = LOCAL_USERS.find((candidate) => candidate.sub === sub);
  if (user === undefined) {
    throw new Error(
      `unknown local user "${sub}"; known: ${LOCAL_USERS.map((known) => known.sub).join(', ')}`,
    );
  }
  return user;
};

/**
 * Issues a bearer token for a local user (or any claims) signed with the local key.
 *
 * @example
 * ```ts
 * const jwt = await issueLocalToken('.local-cloud', 'alice');
 * await fetch(`${url}/approvals?status=pending`, { headers: { authorization: `Bearer ${jwt}` } });
 * ```
 */
export const issueLocalToken = async (
  dataDir: string,
  user: string | IdentityClaims,
  options: { expiresInSeconds?: number; now?: () => Date } = {},
): Promise<string> => {
  const claims = typeof user === 'string' ? findLocalUser(user) : user;
  const keys = await ensureLocalSigningKeys(dataDir);
  return issueToken({
    privateJwk: keys.privateJwk,
    issuer: LocalIdentity.issuer,
    audience: LocalIdentity.audience,
    claims,
    ...options,
  });
};
