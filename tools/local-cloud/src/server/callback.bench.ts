/**
 * Where the time of a callback resume goes: the same SendTaskSuccess on the same engine (FileStore, as the local
 * cloud runs it) called (1) directly, (2) over the local cloud's HTTP server from a raw keep-alive client, (3) from
 * the AWS SDK v3 client. (2) − (1) is the HTTP server's cost, (3) − (2) the SDK client's. Client and server share
 * this process, so the HTTP numbers include the client's own work.
 *
 * Run: `npx tsx --tsconfig tools/local-cloud/tsconfig.json tools/local-cloud/src/server/callback.bench.ts [samples]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Engine, FileStore, type Integration } from '@flow/asl-engine';
import { stepFunctionsService } from '../api/stepfunctions';
import { startHttpServer } from './http-server';
import { jsonProtocolRoute } from './json-route';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const SAMPLES = Number(process.argv[2] ?? 2000);
const WARMUP = 200;

const MACHINE = JSON.stringify({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: 'http://127.0.0.1:4566/000000000000/q',
        MessageBody: { 'token.$': '$$.Task.Token' },
      },
      End: true,
    },
  },
});

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

const main = async (): Promise<void> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callback-bench-'));
  const tokens: string[] = [];
  const integration: Integration = async (inv) => {
    tokens.push(inv.taskToken ?? '');
    return { MessageId: 'm', MD5OfMessageBody: '0' };
  };
  const store = await FileStore.open(path.join(dir, 'executions'));
  const engine = new Engine({ store, integrations: { resolve: () => integration } });
  await engine.start();
  const server = await startHttpServer({
    port: 0,
    routes: [jsonProtocolRoute([stepFunctionsService(engine)])],
  });
  const { stateMachineArn } = await engine.createStateMachine({ name: 'bench', definition: MACHINE });

  /** Parks `n` executions on their task token and returns the tokens. */
  const park = async (n: number): Promise<string[]> => {
    tokens.length = 0;
    for (let i = 0; i < n; i += 1) await engine.startExecution({ stateMachineArn, input: '{}' });
    while (tokens.length < n) await new Promise((resolve) => setImmediate(resolve));
    return [...tokens];
  };

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const raw = (taskToken: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ taskToken, output: '{"ok":true}' });
      const req = request(
        server.url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': 'AWSStepFunctions.SendTaskSuccess',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const sfn = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const modes: [string, (token: string) => Promise<unknown>][] = [
    [
      'engine.sendTaskSuccess (no HTTP)',
      (taskToken) => engine.sendTaskSuccess({ taskToken, output: '{"ok":true}' }),
    ],
    ['HTTP, raw keep-alive client', raw],
    [
      'HTTP, AWS SDK v3 SFNClient',
      (taskToken) => sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"ok":true}' })),
    ],
  ];

  const rows: string[] = [];
  for (const [label, send] of modes) {
    const parked = await park(SAMPLES + WARMUP);
    const samples: number[] = [];
    for (const [i, token] of parked.entries()) {
      const started = performance.now();
      await send(token);
      if (i >= WARMUP) samples.push((performance.now() - started) * 1000);
    }
    samples.sort((a, b) => a - b);
    rows.push(
      `| ${label} | ${samples.length} | ${percentile(samples, 50).toFixed(0)} | ${percentile(samples, 90).toFixed(0)} | ${percentile(samples, 99).toFixed(0)} |`,
    );
  }
  sfn.destroy();
  agent.destroy();
  await server.close();
  await engine.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `\nSendTaskSuccess round trip, µs (Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})\n`,
  );
  console.log('| Path | Samples | p50 | p90 | p99 |\n|---|---|---|---|---|');
  for (const row of rows) console.log(row);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
