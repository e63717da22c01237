import { z } from 'zod';

/**
 * Who calls the approvals API: a bearer JWT, signed by the identity provider, verified by approval-api with
 * `jose` against `JWT_ISSUER`, `JWT_AUDIENCE` and the public keys in `JWT_PUBLIC_JWKS` (a JWKS as JSON text).
 *
 * Token contract (any issuer, including the local one):
 * - header `alg` `ES256` (or `RS256`), `kid` matching a key in the JWKS;
 * - claims `iss` = JWT_ISSUER, `aud` = JWT_AUDIENCE (or an array containing it), `exp` in the future,
 *   `sub` (stable user id, compared with the order's `requestedBy`), `name` (display name), `roles` (string array).
 */

/** The claims approval-api reads from a verified token. Unknown roles are kept and ignored. */
export const IdentityClaimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.string().min(1)),
});
export type IdentityClaims = z.infer<typeof IdentityClaimsSchema>;
