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

/** Roles the approvals API knows. Only `approver` may decide; `approver` and `reviewer` may send heartbeats. */
export const ApprovalRoles = {
  Approver: 'approver',
  Reviewer: 'reviewer',
  Requester: 'requester',
} as const;

/** The claims approval-api reads from a verified token. Unknown roles are kept and ignored. */
export const IdentityClaimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.string().min(1)),
});
export type IdentityClaims = z.infer<typeof IdentityClaimsSchema>;

/** Signing algorithms approval-api accepts. */
export const APPROVAL_JWT_ALGORITHMS = ['ES256', 'RS256'] as const;

/** Issuer and audience of the local identity provider (the local cloud's `token` CLI command). */
export const LocalIdentity = {
  issuer: 'https://idp.local-cloud.invalid/',
  audience: 'approvals-api',
  /** Key id of the local signing key. */
  keyId: 'local-approvals-1',
  /** Folder under the local cloud's data folder that holds `private.jwk.json` and `public.jwks.json`. */
  keysDir: 'identity',
} as const;

/** The named users the local identity provider issues tokens for. */
export const LOCAL_USERS: readonly IdentityClaims[] = [
  { sub: 'alice', name: 'Alice Approver', roles: [ApprovalRoles.Approver] },
  { sub: 'bob', name: 'Bob Approver', roles: [ApprovalRoles.Approver] },
  { sub: 'carol', name: 'Carol Requester', roles: [ApprovalRoles.Requester] },
  { sub: 'dave', name: 'Dave Reviewer', roles: [ApprovalRoles.Reviewer] },
];
