/**
 * Child process of durability.spec.ts: opens a FileStore, starts executions that wait (on a callback, on a Wait
 * state), reports each integration call on stdout, prints READY once every execution is waiting, and then idles
 * until the test kills it with SIGKILL.
 */
import { RealClock } from './clock';
import { Engine } from './engine';
import { FileStore } from './file-store';
import type { IntegrationRegistry } from './integrations';
import { CALLBACK_DEFINITION, WAIT_DEFINITION } from './durability-fixtures';

async function main(): Promise<void> {
  const dir = process.argv[2];
  const count = Number(process.argv[3] ?? '5');
  if (dir === undefined) throw new Error('usage: durability-child <dir> <count>');
  const store = await FileStore.open(dir);
  let submitted = 0;
  const integrations: IntegrationRegistry = {
    resolve: (inv) => async () => {
      process.stdout.write(`INVOKE ${inv.service}:${inv.action} ${inv.execution.name}\n`);
      if (inv.service === 'sqs') submitted++;
      return inv.service === 'sqs' ? { MessageId: `m-${inv.execution.name}` } : { ok: true };
    },
  };
  const engine = new Engine({ store, clock: new RealClock(), integrations });
  await engine.start();
  const cb = await engine.createStateMachine({
    name: 'callbacks',
    definition: JSON.stringify(CALLBACK_DEFINITION),
  });
  const wait = await engine.createStateMachine({
    name: 'waits',
    definition: JSON.stringify(WAIT_DEFINITION),
  });
  for (let i = 0; i < count; i++) {
    await engine.startExecution({
      stateMachineArn: cb.stateMachineArn,
      name: `cb-${i}`,
      input: JSON.stringify({ i }),
    });
    await engine.startExecution({
      stateMachineArn: wait.stateMachineArn,
      name: `wait-${i}`,
      input: JSON.stringify({ i }),
    });
  }
  const timer = setInterval(() => {
    if (submitted >= count) {
      clearInterval(timer);
      // Everything appended so far is written before the parent is told to kill this process.
      void store.flush().then(() => process.stdout.write('READY\n'));
    }
  }, 5);
  // Stay alive until killed.
  setInterval(() => undefined, 1 << 30);
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
