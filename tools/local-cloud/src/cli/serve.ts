import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LocalCloud } from '../cloud';
import { startHttpServer } from '../server/http-server';
import { type StartedSynth } from '../loader';
import { localCloudRoutes } from '../server/local-cloud-routes';
import { StartupTiming } from '../startup/timing';
import { stockInventoryIfEmpty } from './demo-data';
import { bold, cyan, dim } from './format';

/** Options of `local-cloud serve` (the `npm start` command). */
export interface ServeOptions {
  readonly port: number;
  readonly dataDir: string;
  readonly reset: boolean;
  readonly demo: boolean;
  readonly repoRoot: string;
  /** Log how long each startup phase took to stderr (also `LOCAL_CLOUD_TIMING=1`). */
  readonly timing?: boolean;
  /** The CDK synth, started before this module loaded (see `startSynth`). */
  readonly synth?: StartedSynth;
}

const banner = (url: string, cloud: LocalCloud, options: ServeOptions, readyMs: number): string => {
  const picture = cloud.picture;
  const machines = picture.stateMachines.map((m) => m.name).join(', ') || 'none';
  const sample = path.relative(
    process.cwd(),
    path.join(options.repoRoot, 'samples/events/order-needs-approval.json'),
  );
  return [
    `${bold('Local cloud ready')} at ${url} in ${Math.round(readyMs)} ms`,
    `  Endpoint   ${cyan(url)}  ${dim('(Step Functions, SQS, EventBridge, Lambda, DynamoDB; any credentials)')}`,
    `  Console    ${cyan(`${url}/`)}`,
    `  Data       ${options.dataDir}${options.reset ? dim(' (reset)') : ''}`,
    `  Loaded     state machines: ${machines}; ${picture.functions.length} functions, ${picture.queues.length} queues, ` +
      `${picture.rules.length} rules, ${picture.tables.length} tables`,
    '',
    'In another terminal:',
    // AWS_DEFAULT_REGION too: the AWS CLI v1 ignores AWS_REGION.
    `  export AWS_ENDPOINT_URL=${url} AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`,
    `  aws events put-events --endpoint-url ${url} --entries file://${sample}`,
    `  npm run cloud -- executions`,
    '',
    dim('Press Ctrl+C to stop.'),
  ].join('\n');
};

/**
 * Starts the local cloud: binds the endpoint first (so a random port is known to the functions' environment), starts
 * the services, prints how to use it and runs until SIGINT/SIGTERM, then closes everything cleanly.
 */
export const serve = async (options: ServeOptions): Promise<void> => {
  const started = performance.now();
  const timing = StartupTiming.forProcess(options.timing);
  timing.mark('modules loaded');
  const server = await startHttpServer({ port: options.port });
  timing.mark('http server listening');
  let cloud: LocalCloud;
  try {
    cloud = await LocalCloud.start({
      dataDir: options.dataDir,
      port: server.port,
      reset: options.reset,
      appDir: options.repoRoot,
      timing,
      // What the cloud reports (resources dropped because the app no longer has them, picture warnings, failed
      // batches), without the synth's own output.
      log: (line) => {
        if (!line.startsWith('synth: ')) console.log(dim(line));
      },
      ...(options.synth === undefined ? {} : { synth: options.synth }),
      deferFunctionBundling: true,
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  const stocked = await stockInventoryIfEmpty(cloud, options.repoRoot).catch((error: unknown) => {
    console.error(
      `Could not stock the inventory table: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 0;
  });
  timing.mark('inventory stock checked');
  const { routes, rawRoutes } = localCloudRoutes(cloud, { endpoint: server.url });
  server.setRoutes(routes, rawRoutes);
  timing.mark('routes');
  console.log(banner(server.url, cloud, options, performance.now() - started));
  if (stocked > 0) console.log(dim(`Stocked ${stocked} SKUs in the empty inventory table (demo data).`));
  // After the ready line: bundling the handlers competes with the start for the CPU (an early invoke waits for it).
  cloud.prepareFunctions();

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(dim(`\n${signal}: stopping the local cloud…`));
    Promise.allSettled([server.close(), cloud.close()])
      .then((results) => {
        for (const r of results) if (r.status === 'rejected') console.error('close failed:', r.reason);
        console.log(dim('Stopped.'));
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  if (options.demo) {
    // Only the demo publishes through the SDK: its client is not loaded otherwise.
    const [{ PutEventsCommand }, { createClients }, { demoEntries }] = await Promise.all([
      import('@aws-sdk/client-eventbridge'),
      import('./clients'),
      import('./demo'),
    ]);
    const entries = await demoEntries(options.repoRoot, Date.now().toString(36));
    const clients = createClients(server.url);
    const result = await clients.events.send(new PutEventsCommand({ Entries: entries }));
    console.log(
      `Demo: published ${entries.length - (result.FailedEntryCount ?? 0)} orders ` +
        `(auto-approved, waiting for approval, invalid). See them: npm run cloud -- executions`,
    );
  }
};
