import { type IdentityClaims, IdentityClaimsSchema } from '@flow/contracts';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';

/** A signing key pair as JSON: the private JWK (keep secret) and the public JWKS (goes into JWT_PUBLIC_JWKS). */
export interface SigningKeys {
  readonly privateJwk: JWK;
  readonly publicJwks: JSONWebKeySet;
}

const ALGORITHM = 'ES256';

/**
 * Generates an ES256 key pair for an identity provider (used by the local cloud's identity provider).
 *
 * @example
 * ```ts
 * const { privateJwk, publicJwks } = await generateSigningKeys('local-approvals-1');
 * ```
 */
export const generateSigningKeys = async (keyId: string): Promise<SigningKeys> => {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: keyId, alg: ALGORITHM, use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: ALGORITHM, use: 'sig' };
  return { privateJwk, publicJwks: { keys: [publicJwk] } };
};

/** What {@link issueToken} needs. */
export interface IssueTokenOptions {
  readonly privateJwk: JWK;
  readonly issuer: string;
  readonly audience: string;
  readonly claims: IdentityClaims;
  /** Lifetime; default 12 hours. */
  readonly expiresInSeconds?: number;
  readonly now?: () => Date;
}

/**
 * Signs a bearer token with the approvals claims contract (`sub`, `name`, `roles`), `iss`, `aud`, `iat`, `exp`.
 *
 * @example
 * ```ts
 * const jwt = await issueToken({ privateJwk, issuer, audience, claims: { sub: 'alice', name: 'Alice', roles: ['approver'] } });
 * ```
 */
export const issueToken = async (options: IssueTokenOptions): Promise<string> => {
  const claims = IdentityClaimsSchema.parse(options.claims);
  const alg = typeof options.privateJwk.alg === 'string' ? options.privateJwk.alg : ALGORITHM;
  const key = await importJWK(options.privateJwk, alg);
  const issuedAt = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  return new SignJWT({ name: claims.name, roles: claims.roles })
    .setProtectedHeader({
      alg,
      typ: 'JWT',
      ...(options.privateJwk.kid === undefined ? {} : { kid: options.privateJwk.kid }),
    })
    .setSubject(claims.sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 12 * 60 * 60))
    .sign(key);
};
