import type { IdentityClaims } from './approval-identity';

// The approvals identity's names and local users, without schemas: code that only needs these (the local cloud's
// start path) does not load zod.

/** Roles the approvals API knows. Only `approver` may decide; `approver` and `reviewer` may send heartbeats. */
export const ApprovalRoles = {
  Approver: 'approver',
  Reviewer: 'reviewer',
  Requester: 'requester',
} as const;

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
