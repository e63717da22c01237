import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import { LOCAL_USERS, LocalIdentity } from '@flow/contracts';

/** The local identity provider's key files under the data folder (the approval-api function trusts the JWKS). */
export const identityKeyPaths = (dataDir: string): { privateJwk: string; publicJwks: string } => {
  const dir = path.join(dataDir, LocalIdentity.keysDir);
  return { privateJwk: path.join(dir, 'private.jwk.json'), publicJwks: path.join(dir, 'public.jwks.json') };
};

/**
 * Returns the local signing key, generating an ES256 pair (private JWK + public JWKS) on first use.
 */
export const ensureIdentityKeys = async (
  dataDir: string,
): Promise<{ privateJwk: JWK; publicJwks: { keys: JWK[] } }> => {
  const paths = identityKeyPaths(dataDir);
  try {
    const privateJwk = JSON.parse(await readFile(paths.privateJwk, 'utf8')) as JWK;
    const publicJwks = JSON.parse(await readFile(paths.publicJwks, 'utf8')) as { keys: JWK[] };
    return { privateJwk, publicJwks };
  } catch {
    // jose is loaded only to make or use a key (not when a restart finds the keys).
    const { exportJWK, generateKeyPair } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const meta = { kid: LocalIdentity.keyId, alg: 'ES256', use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), ...meta };
    const publicJwks = { keys: [{ ...(await exportJWK(publicKey)), ...meta }] };
    await mkdir(path.dirname(paths.privateJwk), { recursive: true });
    await writeFile(paths.privateJwk, JSON.stringify(privateJwk), { mode: 0o600 });
    await writeFile(paths.publicJwks, JSON.stringify(publicJwks));
    return { privateJwk, publicJwks };
  }
};

/**
 * `token --user <name>`: a bearer JWT for the approvals API, for one of the local users
 * (`alice`, `bob`: approvers; `carol`: requester; `dave`: reviewer).
 */
export const issueToken = async (dataDir: string, user: string, ttlSeconds = 3600): Promise<string> => {
  const claims = LOCAL_USERS.find((u) => u.sub === user);
  if (claims === undefined) {
    throw new Error(
      `Unknown local user '${user}'. Known users: ${LOCAL_USERS.map((u) => u.sub).join(', ')}.`,
    );
  }
  const { privateJwk } = await ensureIdentityKeys(dataDir);
  const { importJWK, SignJWT } = await import('jose');
  const key = await importJWK(privateJwk, 'ES256');
  return new SignJWT({ name: claims.name, roles: claims.roles })
    .setProtectedHeader({ alg: 'ES256', kid: LocalIdentity.keyId, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(LocalIdentity.issuer)
    .setAudience(LocalIdentity.audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
};
