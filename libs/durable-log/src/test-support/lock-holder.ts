/** Child process for the lock test: opens the log in argv[2], prints `open`, then waits to be killed. */
import { DurableLog } from '../durable-log';

async function main(): Promise<void> {
  const target = process.argv[2];
  if (target === undefined) throw new Error('usage: lock-holder <dir>');
  await DurableLog.open(target);
  process.stdout.write('open\n');
  setInterval(() => undefined, 1000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
