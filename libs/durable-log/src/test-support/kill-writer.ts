/**
 * Child process for the kill -9 test: appends numbered records as fast as it can and prints `ack <n>` once
 * record n is acknowledged. With `--compact-every N` it also compacts (snapshot = { upTo }) every N records.
 * The parent kills it with SIGKILL at an arbitrary point.
 */
import { DurableLog } from '../durable-log';

interface Rec {
  readonly n: number;
  readonly pad: string;
}

async function main(): Promise<void> {
  const [target, mode, everyText] = process.argv.slice(2);
  if (target === undefined) throw new Error('usage: kill-writer <dir> [--compact-every N]');
  const compactEvery = mode === '--compact-every' ? Number(everyText) : 0;
  const log = await DurableLog.open<Rec, { upTo: number }>(target);
  const pad = 'x'.repeat(200);
  let n = 0;
  for (;;) {
    // A burst of appends in one tick (one batched write), then wait for the acknowledgement.
    const burst: Promise<void>[] = [];
    const first = n;
    for (let i = 0; i < 50; i++) {
      burst.push(log.append({ n, pad }));
      n++;
      if (compactEvery > 0 && n % compactEvery === 0) await log.compact({ upTo: n });
    }
    await Promise.all(burst);
    process.stdout.write(`ack ${first}..${n - 1}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
