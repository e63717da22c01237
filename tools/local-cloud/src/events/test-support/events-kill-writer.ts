/**
 * Child process for the EventBridge kill -9 test: in the data dir given, puts numbered events (`detail.n`) on bus
 * `orders`, whose rule delivers each to one target, and prints `put <n>` once the event and its delivery status are
 * in the journals. The parent kills it with SIGKILL at an arbitrary point.
 */
import { EventBridgeService } from '../event-bridge-service';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (dataDir === undefined) throw new Error('usage: events-kill-writer <dataDir>');
  const events = await EventBridgeService.open({
    dataDir,
    recentEventsLimit: 50,
    dispatcher: { dispatch: async () => undefined },
  });
  events.createEventBus({ Name: 'orders' });
  events.putRule({ Name: 'r', EventBusName: 'orders', EventPattern: '{"source":["flow.orders"]}' });
  events.putTargets({ Rule: 'r', EventBusName: 'orders', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:::q' }] });
  for (let n = 0; ; n++) {
    const detail = JSON.stringify({ n });
    events.putEvents({
      Entries: [
        { Source: 'flow.orders', DetailType: 'OrderSubmitted', Detail: detail, EventBusName: 'orders' },
      ],
    });
    await events.settled();
    await events.flush();
    process.stdout.write(`put ${n}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
