import { LocalIdentity } from '@flow/contracts';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTokenVerifier, ensureLocalSigningKeys, issueLocalToken, localJwtEnvironment } from './index';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'approvals-identity-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('local identity provider', () => {
  it('issues a token for a named local user that approval-api verifies with the local environment', async () => {
    // Arrange
    const env = localJwtEnvironment(await ensureLocalSigningKeys(dataDir));
    const verify = createTokenVerifier({
      issuer: env['JWT_ISSUER'] ?? '',
      audience: env['JWT_AUDIENCE'] ?? '',
      jwks: JSON.parse(env['JWT_PUBLIC_JWKS'] ?? '{}'),
    });
    // Act
    const jwt = await issueLocalToken(dataDir, 'alice');
    const claims = await verify(`Bearer ${jwt}`);
    // Assert
    expect(claims).toStrictEqual({ sub: 'alice', name: 'Alice Approver', roles: ['approver'] });
  });

  it('keeps its keys: a second start reuses the same key pair, the private key readable by the owner only', async () => {
    // Arrange
    const first = await ensureLocalSigningKeys(dataDir);
    // Act
    const second = await ensureLocalSigningKeys(dataDir);
    // Assert
    expect(second).toStrictEqual(first);
    expect(first.publicJwks.keys[0]).toMatchObject({ kid: LocalIdentity.keyId, alg: 'ES256', kty: 'EC' });
    expect(first.publicJwks.keys[0]).not.toHaveProperty('d');
    const mode = (await stat(path.join(dataDir, LocalIdentity.keysDir, 'private.jwk.json'))).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('fails when the user is not a known local user, naming the known ones', async () => {
    // Act
    const attempt = issueLocalToken(dataDir, 'eve');
    // Assert
    await expect(attempt).rejects.toThrow('unknown local user "eve"; known: alice, bob, carol, dave');
  });
});
