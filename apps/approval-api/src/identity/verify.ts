import { APPROVAL_JWT_ALGORITHMS, type IdentityClaims, IdentityClaimsSchema } from '@flow/contracts';
import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, jwtVerify } from 'jose';

/** The caller has no valid identity: missing, malformed, forged, expired or foreign token. Maps to 401. */
export class UnauthenticatedError extends Error {
  /**
   * The RFC 6750 error code for `WWW-Authenticate`: `invalid_request` for a malformed Authorization header,
   * `invalid_token` for a token that does not verify, none when the request carried no credentials at all.
   */
  readonly bearerError: 'invalid_request' | 'invalid_token' | undefined;
  constructor(
    message: string,
    options?: ErrorOptions & { bearerError?: 'invalid_request' | 'invalid_token' | undefined },
  ) {
    super(message, options);
    this.name = 'UnauthenticatedError';
    this.bearerError = options && 'bearerError' in options ? options.bearerError : 'invalid_token';
  }
}

/** Where approver tokens come from: issuer, audience and the issuer's public keys. */
export interface TokenVerifierConfig {
  readonly issuer: string;
  readonly audience: string;
  /** The public keys (a JWKS) that sign the tokens. */
  readonly jwks: JSONWebKeySet;
  /** Clock for `exp`/`nbf` checks; defaults to the system clock. */
  readonly now?: () => Date;
}

/** Verifies a bearer token and returns the caller's claims, or throws {@link UnauthenticatedError}. */
export type TokenVerifier = (authorizationHeader: string | undefined) => Promise<IdentityClaims>;

const BEARER = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i;

const describeJoseError = (error: unknown): string => {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `token claim "${error.claim}" is not accepted`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is not valid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'token is not signed by a known key';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'token signing algorithm is not accepted';
  return 'token is not a valid JWT';
};

/**
 * Builds a {@link TokenVerifier} with `jose`: signature against the JWKS, `iss`, `aud`, `exp`/`nbf`, an allowed
 * algorithm, then the claims contract (`sub`, `name`, `roles`).
 *
 * @example
 * ```ts
 * const verify = createTokenVerifier({ issuer, audience, jwks: JSON.parse(process.env.JWT_PUBLIC_JWKS) });
 * const claims = await verify(event.headers.authorization); // { sub: 'alice', name: 'Alice', roles: ['approver'] }
 * ```
 */
export const createTokenVerifier = (config: TokenVerifierConfig): TokenVerifier => {
  const keys = createLocalJWKSet(config.jwks);
  return async (authorizationHeader) => {
    if (authorizationHeader === undefined || authorizationHeader.trim() === '') {
      throw new UnauthenticatedError('missing bearer token (Authorization: Bearer <jwt>)', {
        bearerError: undefined,
      });
    }
    const match = BEARER.exec(authorizationHeader);
    const token = match?.[1];
    if (token === undefined) {
      throw new UnauthenticatedError('Authorization header is not "Bearer <jwt>"', {
        bearerError: 'invalid_request',
      });
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: [...APPROVAL_JWT_ALGORITHMS],
        requiredClaims: ['sub', 'exp'],
        ...(config.now === undefined ? {} : { currentDate: config.now() }),
      }));
    } catch (error) {
      throw new UnauthenticatedError(describeJoseError(error), { cause: error });
    }
    const claims = IdentityClaimsSchema.safeParse(payload);
    if (!claims.success) {
      const fields = claims.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new UnauthenticatedError(`token lacks valid claims: ${fields}`);
    }
    return claims.data;
  };
};
