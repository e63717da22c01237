/**
 * Benchmarks of the local cloud through its endpoint, as a user runs it (`node dist/tools/local-cloud/main.cjs serve`):
 * startup to ready (cold: empty data folder; warm: restart on the same folder), full-workflow executions per second
 * (ComplexWorkflow, auto-approved path, StartExecution over HTTP), callback resume latency over HTTP (SendTaskSuccess
 * round trip, p50/p99), and the server's memory with 10,000 executions waiting on a task token.
 *
 * Run: `npx nx run local-cloud:bench` (add `-- --executions 500 --waiting 10000`). Prints a Markdown table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { EnvVars, InventoryKeys, TableKeys } from '@flow/contracts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/** Servers started by this run, stopped on failure too (never left behind). */
const spawnedServers: ChildProcess[] = [];

const ROOT = path.resolve(__dirname, '../../../..');
const ENTRY = path.join(ROOT, 'dist/tools/local-cloud/main.cjs');

interface Server {
  child: ChildProcess;
  endpoint: string;
  readyMs: number;
  reportedMs: number;
}

const startServer = (dataDir: string, nodeArgs: readonly string[] = []): Promise<Server> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['--expose-gc', ...nodeArgs, ENTRY, 'serve', '--port', '0', '--data-dir', dataDir],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /Local cloud ready at (http:\/\/127\.0\.0\.1:\d+) in (\d+) ms/.exec(out);
      if (match?.[1] !== undefined) {
        resolve({
          child,
          endpoint: match[1],
          readyMs: performance.now() - started,
          reportedMs: Number(match[2]),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code ?? ''}:\n${out}`)));
    spawnedServers.push(child);
  });

const stopServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });

const config = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  maxAttempts: 3,
});

/**
 * SendTaskSuccess as one raw HTTP request on a keep-alive connection (the AWS JSON protocol, no SDK): the server's
 * part of a callback's latency, without the SDK client's own work (about 1 ms per call, and its GC pauses).
 */
const rawSendTaskSuccess = (endpoint: string, agent: Agent, taskToken: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify({ taskToken, output: '{"ok":true}' });
    const req = request(
      `${endpoint}/`,
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
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(
                new Error(`SendTaskSuccess answered ${res.statusCode}: ${Buffer.concat(chunks).toString()}`),
              ),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
const pool = async (n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
};

const countByStatus = async (
  sfn: SFNClient,
  stateMachineArn: string,
  status: 'SUCCEEDED' | 'RUNNING' | 'FAILED',
) => {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        statusFilter: status,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    count += page.executions?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return count;
};

interface OrderLine {
  sku: string;
  quantity: number;
}

const autoApprovedSample = (): { Source: string; DetailType: string; Detail: string } => {
  const [sample] = JSON.parse(
    readFileSync(path.join(ROOT, 'samples/events/order-auto-approved.json'), 'utf8'),
  ) as { Source: string; DetailType: string; Detail: string }[];
  if (sample === undefined) throw new Error('samples/events/order-auto-approved.json has no event');
  return sample;
};

/** The run's own SKU for a sample SKU: each run reserves from fresh stock items it stocked itself. */
const benchSku = (sku: string, run: string): string => `${sku}-${run}`;

/**
 * Stocks the run's SKUs (the sample order's SKUs, suffixed with the run id) in the inventory table through the
 * endpoint, with enough units for every execution of the run: the seeded demo stock (500 BOOK-001, 2 per order) runs
 * out after 250 orders, and a bench must not measure `OutOfStockError`s.
 */
const stockForRun = async (endpoint: string, run: string, orders: number): Promise<void> => {
  const lambda = new LambdaClient(config(endpoint));
  const { Functions = [] } = await lambda.send(new ListFunctionsCommand({}));
  lambda.destroy();
  const table = Functions.map((fn) => fn.Environment?.Variables?.[EnvVars.InventoryTableName]).find(
    (name): name is string => name !== undefined && name !== '',
  );
  if (table === undefined) throw new Error(`no function has ${EnvVars.InventoryTableName}`);
  const { lines } = JSON.parse(autoApprovedSample().Detail) as { lines: OrderLine[] };
  const dynamodb = new DynamoDBClient(config(endpoint));
  for (const line of lines) {
    const sku = benchSku(line.sku, run);
    await dynamodb.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          [TableKeys.Inventory.partitionKey]: { S: InventoryKeys.stock(sku) },
          sku: { S: sku },
          available: { N: String(line.quantity * orders) },
        },
      }),
    );
  }
  dynamodb.destroy();
};

const autoApprovedEvent = (i: number, run: string): string => {
  const sample = autoApprovedSample();
  const order = JSON.parse(sample.Detail) as { lines: OrderLine[] };
  const detail = {
    ...order,
    orderId: `bench-${run}-${i}`,
    lines: order.lines.map((line) => ({ ...line, sku: benchSku(line.sku, run) })),
  };
  return JSON.stringify({
    version: '0',
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`.slice(0, 36),
    'detail-type': sample.DetailType,
    source: sample.Source,
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  });
};

const CALLBACK_MACHINE = (queueUrl: string): string =>
  JSON.stringify({
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: queueUrl, MessageBody: { 'token.$': '$$.Task.Token' } },
        End: true,
      },
    },
  });

const step = (text: string): void => {
  console.error(`[bench] ${new Date().toISOString()} ${text}`);
};

/** Why the first few failed executions of a state machine failed (their `ExecutionFailed` error and cause). */
const failureReasons = async (sfn: SFNClient, stateMachineArn: string, limit = 5): Promise<string[]> => {
  const { executions = [] } = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn, statusFilter: 'FAILED', maxResults: limit }),
  );
  return Promise.all(
    executions.map(async ({ executionArn }) => {
      const { error, cause } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return `${executionArn?.split(':').pop() ?? ''}: ${error ?? ''} ${(cause ?? '').slice(0, 300)}`;
    }),
  );
};

interface Health {
  memory: { rss: number; heapUsed: number };
  lambdaThreads: Record<string, number[]>;
}

const health = async (endpoint: string, gc = true): Promise<Health> =>
  (await (await fetch(`${endpoint}/_local/health${gc ? '?gc=1' : ''}`)).json()) as Health;

/**
 * CPU time the server process has used so far, in ms: the whole process (all threads: the main thread, the Lambda
 * workers, V8's GC helpers, libuv's I/O pool) and its main thread alone. Linux only (`/proc`); undefined elsewhere.
 * Unlike a rate, CPU time per execution hardly moves with what else runs on the machine.
 */
const serverCpuMs = (pid: number | undefined): { total: number; main: number } | undefined => {
  const ticks = (file: string): number => {
    // Fields after the `(comm)`: utime and stime are the 12th and 13th.
    const fields = readFileSync(file, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11]) + Number(fields[12]);
  };
  try {
    if (pid === undefined) return undefined;
    const msPerTick = 10; // USER_HZ is 100 on Linux
    return {
      total: ticks(`/proc/${pid}/stat`) * msPerTick,
      main: ticks(`/proc/${pid}/task/${pid}/stat`) * msPerTick,
    };
  } catch {
    return undefined;
  }
};

/** CPU time (ms) each Lambda worker thread of the server has used so far, by function name (Linux `/proc`). */
const functionCpuMs = (
  pid: number | undefined,
  threads: Record<string, number[]>,
): Map<string, Map<number, number>> => {
  const byFunction = new Map<string, Map<number, number>>();
  for (const [name, ids] of Object.entries(threads)) {
    const perThread = new Map<number, number>();
    for (const id of ids) {
      try {
        const fields = readFileSync(`/proc/${pid}/task/${id}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        perThread.set(id, (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // The worker ended (idle timeout) between the health call and this read: its time is in "other threads".
      }
    }
    byFunction.set(name, perThread);
  }
  return byFunction;
};

/** `FlowProcessOrder-TaskFunctionE688A034` → `ProcessOrder` (stack name without the app prefix). */
const shortFunctionName = (name: string): string =>
  name
    .replace(/^Flow/, '')
    .replace(/-TaskFunction[0-9A-F]{8}$/, '')
    .replace(/-(\w+?)Function[0-9A-F]{8}$/, '.$1');

/**
 * Waits (at most `limitMs`) until the server uses less than a tenth of a core: after a start it bundles the handlers
 * and pre-warms a worker per function in the background, which a measured round must not be charged for.
 */
const waitUntilIdle = async (pid: number | undefined, limitMs = 60_000): Promise<void> => {
  const deadline = Date.now() + limitMs;
  for (let before = serverCpuMs(pid); before !== undefined && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = serverCpuMs(pid);
    if (now === undefined || now.total - before.total < 100) return;
    before = now;
  }
};

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const PHASES = ['startup', 'throughput', 'callbacks', 'memory'] as const;
type Phase = (typeof PHASES)[number];

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      executions: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '32' },
      /** Executions run (concurrently) before the measured ones, to start the workers and warm the JIT. Default 1,000. */
      warmup: { type: 'string' },
      callbacks: { type: 'string', default: '500' },
      waiting: { type: 'string', default: '10000' },
      /** Comma-separated subset of startup,throughput,callbacks,memory (default: all). */
      phases: { type: 'string', default: PHASES.join(',') },
      /** Reuse this data folder (kept afterwards: a second run skips the cold synth). Default: a fresh temp one. */
      'data-dir': { type: 'string' },
      /** Extra Node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
      'server-node-args': { type: 'string', default: '' },
    },
  });
  const executions = Number(values.executions);
  const concurrency = Number(values.concurrency);
  // 1,000 warm-up executions take most of the JIT's warm-up out of the measured round: after only 32, V8's compiler
  // threads cost ≈ 1.9 ms of CPU per execution more in it. (It keeps optimizing, less and less, for thousands more.)
  const warmup = Number(values.warmup ?? 1000);
  const callbacks = Number(values.callbacks);
  const waitingCount = Number(values.waiting);
  const phases = new Set(values.phases.split(',').map((p) => p.trim()));
  for (const phase of phases) {
    if (!PHASES.includes(phase as Phase)) throw new Error(`unknown phase ${phase} (${PHASES.join(', ')})`);
  }
  const serverArgs = values['server-node-args'].split(' ').filter((a) => a !== '');
  const rows: [string, string][] = [];
  const keepData = values['data-dir'] !== undefined;
  const dataDir = values['data-dir'] ?? mkdtempSync(path.join(tmpdir(), 'local-cloud-bench-'));
  const run = Date.now().toString(36);

  let server: Server | undefined;
  if (phases.has('startup')) {
    step('startup');
    // 1. Startup: cold (empty data folder: CDK synth + bundles), then warm (restart on the same folder).
    const cold = await startServer(dataDir, serverArgs);
    rows.push([
      'Startup to ready, cold (empty data folder: synth + start)',
      `${(cold.readyMs / 1000).toFixed(2)} s`,
    ]);
    await stopServer(cold);
    const warmRuns: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      server = await startServer(dataDir, serverArgs);
      warmRuns.push(server.readyMs);
      if (i < 2) await stopServer(server);
    }
    warmRuns.sort((a, b) => a - b);
    rows.push([
      'Startup to ready, warm (median of 3 restarts)',
      `${((warmRuns[1] ?? NaN) / 1000).toFixed(2)} s`,
    ]);
  } else {
    step('server');
    server = await startServer(dataDir, serverArgs);
  }
  if (server === undefined) throw new Error('no server');
  const endpoint = server.endpoint;
  // Memory right after ready (no forced GC: what a user sees), then again after the background pre-warm settled.
  const atReady = await health(endpoint, false);
  rows.push([
    'Server memory right after ready (RSS / JS heap)',
    `${mb(atReady.memory.rss)} / ${mb(atReady.memory.heapUsed)}`,
  ]);
  await new Promise((r) => setTimeout(r, 3000));
  const settled = await health(endpoint, true);
  rows.push([
    'Server memory 3 s after ready, after GC (RSS / JS heap)',
    `${mb(settled.memory.rss)} / ${mb(settled.memory.heapUsed)}`,
  ]);

  const sfn = new SFNClient(config(endpoint));
  const sqs = new SQSClient(config(endpoint));

  if (phases.has('throughput')) {
    step('full workflow');
    // 2. Full workflow, auto-approved path: StartExecution over HTTP, until every execution ended.
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    const workflowArn = stateMachines?.find((m) => m.name === 'ComplexWorkflow')?.stateMachineArn ?? '';
    await stockForRun(endpoint, run, executions + warmup);
    // A warm-up round first, so the functions' workers are started and their code optimized (cold starts and JIT
    // warm-up are not what this measures), then the measured round.
    const warm = await Promise.all(
      Array.from({ length: warmup }, async (_, i) =>
        sfn.send(
          new StartExecutionCommand({
            stateMachineArn: workflowArn,
            input: autoApprovedEvent(executions + i, run),
          }),
        ),
      ),
    );
    for (const { executionArn } of warm) {
      for (;;) {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (d.status !== 'RUNNING') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await waitUntilIdle(server.child.pid);
    const succeededBefore = await countByStatus(sfn, workflowArn, 'SUCCEEDED');
    const failedBefore = await countByStatus(sfn, workflowArn, 'FAILED');
    const runningBefore = await countByStatus(sfn, workflowArn, 'RUNNING');
    const cpuBefore = serverCpuMs(server.child.pid);
    const functionsBefore = functionCpuMs(server.child.pid, (await health(endpoint, false)).lambdaThreads);
    const t0 = performance.now();
    await pool(executions, concurrency, async (i) => {
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn: workflowArn, input: autoApprovedEvent(i, run) }),
      );
    });
    const startedIn = (performance.now() - t0) / 1000;
    // Poll the RUNNING list only, and not too often: listing every execution of the state machine many times a
    // second would cost the server more than some of what this measures.
    while ((await countByStatus(sfn, workflowArn, 'RUNNING')) > runningBefore) {
      await new Promise((r) => setTimeout(r, 250));
    }
    const elapsed = (performance.now() - t0) / 1000;
    const cpuAfter = serverCpuMs(server.child.pid);
    const functionsAfter = functionCpuMs(server.child.pid, (await health(endpoint, false)).lambdaThreads);
    const failed = (await countByStatus(sfn, workflowArn, 'FAILED')) - failedBefore;
    const succeeded = (await countByStatus(sfn, workflowArn, 'SUCCEEDED')) - succeededBefore;
    if (failed > 0) {
      rows.push(['(auto-approved executions that FAILED)', String(failed)]);
      for (const reason of await failureReasons(sfn, workflowArn)) step(`FAILED ${reason}`);
    }
    if (succeeded + failed !== executions) {
      rows.push(['(executions neither SUCCEEDED nor FAILED)', String(executions - succeeded - failed)]);
    }
    rows.push([
      `Full workflow (ComplexWorkflow, auto-approved), ${executions} executions, ${concurrency} concurrent clients`,
      `${(executions / elapsed).toFixed(0)} executions/s (all started after ${startedIn.toFixed(2)} s)`,
    ]);
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      const perExecution = (ms: number): string => (ms / executions).toFixed(2);
      rows.push([
        'Server CPU per execution: whole process / main thread (ms)',
        `${perExecution(cpuAfter.total - cpuBefore.total)} / ${perExecution(cpuAfter.main - cpuBefore.main)}`,
      ]);
      // Each function's workers (a worker started during the round counts from 0); the rest of the process is the
      // V8 platform threads (GC, compilation), libuv's pool and any worker that ended during the round.
      let inFunctions = 0;
      const parts: string[] = [];
      for (const [name, threads] of functionsAfter) {
        let ms = 0;
        for (const [id, after] of threads) ms += after - (functionsBefore.get(name)?.get(id) ?? 0);
        inFunctions += ms;
        if (ms > 0) parts.push(`${shortFunctionName(name)} ${perExecution(ms)}`);
      }
      const other = cpuAfter.total - cpuBefore.total - (cpuAfter.main - cpuBefore.main) - inFunctions;
      rows.push([
        'Server CPU per execution by thread (ms): Lambda workers per function, other threads',
        `${parts.join(', ')}; other ${perExecution(other)}`,
      ]);
    }
    const afterRun = await health(endpoint, true);
    rows.push([
      'Server memory after the throughput run, after GC (RSS / JS heap)',
      `${mb(afterRun.memory.rss)} / ${mb(afterRun.memory.heapUsed)}`,
    ]);
  }

  const { QueueUrl: queueUrl = '' } =
    phases.has('callbacks') || phases.has('memory')
      ? await sqs.send(new CreateQueueCommand({ QueueName: `bench-callbacks-${run}` }))
      : {};

  if (phases.has('callbacks')) {
    step('callback latency');
    // 3. Callback resume latency: SendTaskSuccess round trip over HTTP for executions waiting on a token.
    const { stateMachineArn: callbackArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: `BenchCallback${run}`,
        definition: CALLBACK_MACHINE(queueUrl),
        roleArn: 'arn:aws:iam::000000000000:role/bench',
      }),
    );
    // Twice as many waiting executions: half answered through the AWS SDK, half with a raw HTTP client.
    await pool(2 * callbacks, concurrency, async () => {
      await sfn.send(new StartExecutionCommand({ stateMachineArn: callbackArn, input: '{}' }));
    });
    const tokens: string[] = [];
    while (tokens.length < 2 * callbacks) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      tokens.push(...Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { token: string }).token));
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }
    const latencies: number[] = [];
    for (const taskToken of tokens.slice(0, callbacks)) {
      const s = performance.now();
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"ok":true}' }));
      latencies.push(performance.now() - s);
    }
    latencies.sort((a, b) => a - b);
    rows.push([
      `Callback resume over HTTP, AWS SDK v3 client (SendTaskSuccess round trip, ${callbacks} sequential)`,
      `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
    ]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const raw: number[] = [];
    for (const taskToken of tokens.slice(callbacks)) {
      const s = performance.now();
      await rawSendTaskSuccess(endpoint, agent, taskToken);
      raw.push(performance.now() - s);
    }
    agent.destroy();
    raw.sort((a, b) => a - b);
    rows.push([
      `Callback resume over HTTP, raw keep-alive client (same request without the SDK, ${callbacks} sequential)`,
      `p50 ${percentile(raw, 50).toFixed(2)} ms, p99 ${percentile(raw, 99).toFixed(2)} ms`,
    ]);
  }

  if (phases.has('memory')) {
    step('memory');
    // 4. Memory with N executions waiting on a task token.
    const baseline = await health(endpoint);
    const { stateMachineArn: waitingArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: `BenchWaiting${run}`,
        definition: CALLBACK_MACHINE(queueUrl),
        roleArn: 'arn:aws:iam::000000000000:role/bench',
      }),
    );
    const tw = performance.now();
    await pool(waitingCount, concurrency, async () => {
      await sfn.send(
        new StartExecutionCommand({ stateMachineArn: waitingArn, input: '{"order":"waiting"}' }),
      );
    });
    const startRate = waitingCount / ((performance.now() - tw) / 1000);
    while ((await countByStatus(sfn, waitingArn ?? '', 'RUNNING')) < waitingCount)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    const loaded = await health(endpoint);
    rows.push([
      `Memory with ${waitingCount} executions waiting (server RSS / JS heap after GC; idle baseline)`,
      `${mb(loaded.memory.rss)} / ${mb(loaded.memory.heapUsed)} (baseline ${mb(baseline.memory.rss)} / ${mb(baseline.memory.heapUsed)})`,
    ]);
    rows.push([`StartExecution rate while filling the waiting set`, `${startRate.toFixed(0)} executions/s`]);
  }

  sfn.destroy();
  sqs.destroy();
  await stopServer(server);
  if (!keepData) rmSync(dataDir, { recursive: true, force: true });

  console.log(`\n| Measure | Result |\n|---|---|`);
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
};

main().catch((error: unknown) => {
  console.error(error);
  for (const child of spawnedServers) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(1);
});
