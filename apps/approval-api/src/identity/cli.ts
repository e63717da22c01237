/**
 * Local identity CLI: issue approver tokens for the local cloud.
 *
 *   npx tsx --tsconfig apps/approval-api/tsconfig.json apps/approval-api/src/identity/cli.ts token alice
 *   npx tsx --tsconfig apps/approval-api/tsconfig.json apps/approval-api/src/identity/cli.ts env
 *   npx tsx --tsconfig apps/approval-api/tsconfig.json apps/approval-api/src/identity/cli.ts users
 *
 * Options: `--data-dir <dir>` (default `.local-cloud`), `--ttl <seconds>` (token lifetime, default 12 h).
 * `token` prints only the JWT (use it as `Authorization: Bearer <jwt>`); `env` prints the JWT_* variables
 * (JSON) the approval-api function needs; `users` lists the named local users and their roles.
 */
import { LOCAL_USERS } from '@flow/contracts';
import { parseArgs } from 'node:util';
import { ensureLocalSigningKeys, issueLocalToken, localJwtEnvironment } from './local';

const main = async (): Promise<void> => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { 'data-dir': { type: 'string', default: '.local-cloud' }, ttl: { type: 'string' } },
  });
  const [command, user] = positionals;
  const dataDir = values['data-dir'];
  switch (command) {
    case 'token': {
      if (user === undefined) throw new Error('usage: token <user>');
      const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
      if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0))
        throw new Error('--ttl must be a positive integer');
      process.stdout.write(
        `${await issueLocalToken(dataDir, user, ttl === undefined ? {} : { expiresInSeconds: ttl })}\n`,
      );
      return;
    }
    case 'env':
      process.stdout.write(
        `${JSON.stringify(localJwtEnvironment(await ensureLocalSigningKeys(dataDir)), null, 2)}\n`,
      );
      return;
    case 'users':
      for (const known of LOCAL_USERS)
        process.stdout.write(`${known.sub}\t${known.roles.join(',')}\t${known.name}\n`);
      return;
    default:
      throw new Error('usage: cli.ts token <user> | env | users [--data-dir <dir>] [--ttl <seconds>]');
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
