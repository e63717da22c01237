import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { probeFunctionSpec } from '../../test/fixtures/lambda/probe-spec';
import { LambdaLogStore } from './log-store';
import { LambdaRuntime, LambdaServiceError } from './runtime';

const repoRoot = resolve(__dirname, '../../../..');
const spec = probeFunctionSpec;

describe('LambdaRuntime', () => {
  let dataDir: string;
  let logs: LambdaLogStore;
  let runtime: LambdaRuntime;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lambda-runtime-'));
  });

  beforeEach(() => {
    logs = new LambdaLogStore(join(dataDir, 'logs', 'lambda.jsonl'));
    runtime = new LambdaRuntime({ repoRoot, dataDir, endpoint: () => 'http://127.0.0.1:4566', logs });
    runtime.register(spec('alpha', { environment: { CUSTOM: 'from-alpha', AWS_REGION: 'eu-west-1' } }));
    runtime.register(spec('beta', { environment: { CUSTOM: 'from-beta' } }));
  });

  afterEach(async () => {
    await runtime.close();
    await logs.close();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const call = async (name: string, event: unknown): Promise<unknown> => {
    const result = await runtime.invoke(name, JSON.stringify(event));
    return JSON.parse(result.payload) as unknown;
  };

  it('gives each function its own environment with the reserved Lambda variables', async () => {
    // Act
    const [alpha, beta] = await Promise.all([
      call('alpha', { action: 'env' }),
      call('beta', { action: 'env' }),
    ]);

    // Assert
    expect(alpha).toStrictEqual({
      functionName: 'alpha',
      custom: 'from-alpha',
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      executionEnv: null,
      idempotencyDisabled: null,
      initializationType: 'on-demand',
    });
    expect(beta).toStrictEqual({
      functionName: 'beta',
      custom: 'from-beta',
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      executionEnv: null,
      idempotencyDisabled: null,
      initializationType: 'on-demand',
    });
  }, 60_000);

  it('loads the X-Ray SDK without its per-promise async hook, unless the function asks for it', async () => {
    // Arrange
    runtime.register(spec('automatic', { environment: { AWS_XRAY_MANUAL_MODE: '' } }));

    // Act
    const [local, automatic] = await Promise.all([
      call('alpha', { action: 'xray' }),
      call('automatic', { action: 'xray' }),
    ]);

    // Assert
    expect(local).toStrictEqual({ tracingEnabled: false, clsNamespaces: [] });
    expect(automatic).toStrictEqual({ tracingEnabled: false, clsNamespaces: ['AWSXRay'] });
  }, 60_000);

  it('keeps module state per function and reuses warm workers', async () => {
    // Act
    await call('alpha', { action: 'count' });
    await call('alpha', { action: 'count' });
    const alphaThird = await call('alpha', { action: 'count' });
    const betaFirst = await call('beta', { action: 'count' });

    // Assert
    expect(alphaThird).toStrictEqual({ invocations: 3 });
    expect(betaFirst).toStrictEqual({ invocations: 1 });
    expect(runtime.get('alpha')?.workers).toBe(1);
  }, 60_000);

  it('passes a Lambda-shaped context', async () => {
    // Act
    const result = await runtime.invoke(
      'arn:aws:lambda:us-east-1:000000000000:function:alpha',
      '{"action":"context"}',
    );

    // Assert
    expect(JSON.parse(result.payload)).toStrictEqual({
      functionName: 'alpha',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:alpha',
      memoryLimitInMB: '128',
      awsRequestId: result.requestId,
      logGroupName: '/aws/lambda/alpha',
      remainingPositive: true,
    });
  }, 60_000);

  it('reports a thrown error in Lambda’s shape', async () => {
    // Act
    const result = await runtime.invoke('alpha', '{"action":"throw"}');

    // Assert
    expect(result.functionError).toBe('Unhandled');
    expect(result.statusCode).toBe(200);
    const error = JSON.parse(result.payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error.errorType).toBe('OrderInvalid');
    expect(error.errorMessage).toBe('amount must be positive');
    expect(error.trace[0]).toBe('OrderInvalid: amount must be positive');
  }, 60_000);

  it('reports a thrown non-error value with its type', async () => {
    // Act
    const result = await runtime.invoke('alpha', '{"action":"throwString"}');

    // Assert
    expect(JSON.parse(result.payload)).toStrictEqual({
      errorType: 'string',
      errorMessage: 'plain text',
      trace: [],
    });
  }, 60_000);

  it('fails when a run exceeds the timeout, as Lambda reports it, and replaces the worker', async () => {
    // Arrange
    runtime.register(spec('slow', { timeoutSeconds: 1 }));

    // Act
    const result = await runtime.invoke('slow', '{"action":"sleep","ms":5000}');
    const after = await runtime.invoke('slow', '{"action":"count"}');

    // Assert
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toStrictEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds`,
      trace: [],
    });
    expect(JSON.parse(after.payload)).toStrictEqual({ invocations: 1 });
  }, 60_000);

  it('throttles beyond the reserved concurrency', async () => {
    // Arrange
    runtime.register(spec('single', { reservedConcurrency: 1 }));
    await call('single', { action: 'count' });

    // Act
    const first = runtime.invoke('single', '{"action":"sleep","ms":300}');
    const second = runtime.invoke('single', '{"action":"count"}');

    // Assert
    await expect(second).rejects.toStrictEqual(
      new LambdaServiceError(
        'TooManyRequestsException',
        'Rate Exceeded.',
        429,
        'ReservedFunctionConcurrentInvocationLimitExceeded',
      ),
    );
    expect(JSON.parse((await first).payload)).toStrictEqual({ slept: 300 });
  }, 60_000);

  it('starts a second worker for a concurrent request', async () => {
    // Act
    await Promise.all([
      runtime.invoke('beta', '{"action":"sleep","ms":200}'),
      runtime.invoke('beta', '{"action":"sleep","ms":200}'),
    ]);

    // Assert
    expect(runtime.get('beta')?.workers).toBe(2);
  }, 60_000);

  it('captures log lines per function and request id', async () => {
    // Act
    const result = await runtime.invoke('alpha', '{"action":"log"}');

    // Assert
    const lines = logs.query({ requestId: result.requestId }).map((entry) => [entry.stream, entry.message]);
    expect(lines[0]).toStrictEqual(['platform', `START RequestId: ${result.requestId} Version: $LATEST`]);
    expect(lines.slice(1, 4)).toStrictEqual([
      ['stdout', expect.stringMatching(new RegExp(`^\\S+Z\\t${result.requestId}\\tINFO\\thello world$`))],
      ['stdout', '{"level":"INFO","message":"structured"}'],
      ['stderr', expect.stringMatching(/\tERROR\toops$/)],
    ]);
    expect(lines[4]).toStrictEqual(['platform', `END RequestId: ${result.requestId}`]);
  }, 60_000);

  it('fails when the function does not exist', async () => {
    // Act / Assert
    await expect(runtime.invoke('nope', '{}')).rejects.toStrictEqual(
      new LambdaServiceError(
        'ResourceNotFoundException',
        'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
        404,
      ),
    );
  });

  it('fails when the payload is not JSON', async () => {
    // Act / Assert
    await expect(runtime.invoke('alpha', '{oops')).rejects.toMatchObject({
      code: 'InvalidRequestContentException',
    });
  });

  it('retries an asynchronous invocation whose function fails, twice, with the same request id', async () => {
    // Arrange
    const retrying = new LambdaRuntime({
      repoRoot,
      dataDir,
      endpoint: () => 'http://127.0.0.1:4566',
      logs,
      asyncRetryDelaysMs: [10, 10],
    });
    retrying.register(spec('flaky'));

    // Act
    const accepted = await retrying.invoke('flaky', '{"action":"throw"}', { invocationType: 'Event' });
    const starts = (): number =>
      logs.query({ requestId: accepted.requestId }).filter((e) => e.message.startsWith('START')).length;
    for (let i = 0; i < 200 && starts() < 3; i += 1) await new Promise((done) => setTimeout(done, 25));
    await new Promise((done) => setTimeout(done, 100));
    await retrying.close();

    // Assert
    expect([accepted.statusCode, accepted.payload]).toStrictEqual([202, '']);
    expect(starts()).toBe(3);
  }, 60_000);

  it('fails a request whose runtime exits, as Lambda reports it, and starts a fresh worker next time', async () => {
    // Act
    const result = await runtime.invoke('beta', '{"action":"exit"}');
    const after = await runtime.invoke('beta', '{"action":"count"}');

    // Assert
    expect(JSON.parse(result.payload)).toStrictEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3`,
      trace: [],
    });
    expect(JSON.parse(after.payload)).toStrictEqual({ invocations: 1 });
  }, 60_000);

  it('starts the timeout clock after init: a cold start longer than the timeout still succeeds', async () => {
    // Arrange
    runtime.register(
      spec('slowInit', {
        entry: 'tools/local-cloud/test/fixtures/lambda/slow-init-handler.ts',
        timeoutSeconds: 1,
        environment: { INIT_MS: '1500' },
      }),
    );

    // Act
    const result = await runtime.invoke('slowInit', '{}');

    // Assert
    expect(result.functionError).toBeUndefined();
    expect((JSON.parse(result.payload) as { initTook: number }).initTook).toBeGreaterThanOrEqual(1500);
    const report = logs.query({ requestId: result.requestId }).find((e) => e.message.startsWith('REPORT'));
    expect(report?.message).toMatch(/\tInit Duration: \d+\.\d\d ms$/);
  }, 60_000);

  it('queues invocations beyond the worker cap; none fails for it', async () => {
    // Arrange
    const capped = new LambdaRuntime({
      repoRoot,
      dataDir,
      endpoint: () => 'http://127.0.0.1:4566',
      logs,
      maxWorkersPerFunction: 1,
    });
    capped.register(spec('gamma', { timeoutSeconds: 1 }));

    // Act
    const results = await Promise.all(
      Array.from({ length: 4 }, () => capped.invoke('gamma', '{"action":"sleep","ms":400}')),
    );
    const workers = capped.get('gamma')?.workers;
    await capped.close();

    // Assert: 4 × 400 ms on one worker is more than the 1 s timeout, but each request's clock starts when it runs.
    expect(results.map((r) => [r.functionError, JSON.parse(r.payload)])).toStrictEqual(
      Array.from({ length: 4 }, () => [undefined, { slept: 400 }]),
    );
    expect(workers).toBe(1);
  }, 60_000);

  it('drops a waiting invocation whose caller gave up, without running it', async () => {
    // Arrange
    const capped = new LambdaRuntime({
      repoRoot,
      dataDir,
      endpoint: () => 'http://127.0.0.1:4566',
      logs,
      maxWorkersPerFunction: 1,
    });
    capped.register(spec('delta'));
    await capped.invoke('delta', '{"action":"count"}');
    const caller = new AbortController();

    // Act
    const running = capped.invoke('delta', '{"action":"sleep","ms":300}');
    const abandoned = capped.invoke('delta', '{"action":"count"}', { signal: caller.signal });
    caller.abort();
    const outcome = await abandoned.then(
      () => 'ran',
      (error: unknown) => error,
    );
    await running;
    const next = await capped.invoke('delta', '{"action":"count"}');
    await capped.close();

    // Assert
    expect(outcome).toStrictEqual(
      new LambdaServiceError('ServiceException', 'The invocation was abandoned by its caller', 500),
    );
    expect(JSON.parse(next.payload)).toStrictEqual({ invocations: 3 });
  }, 60_000);

  it('pre-warms one worker per function, whose first request is warm', async () => {
    // Act
    await runtime.prewarm();
    const workersBefore = [runtime.get('alpha')?.workers, runtime.get('beta')?.workers];
    const result = await runtime.invoke('alpha', '{"action":"count"}');

    // Assert
    expect(workersBefore).toStrictEqual([1, 1]);
    expect(JSON.parse(result.payload)).toStrictEqual({ invocations: 1 });
    const report = logs.query({ requestId: result.requestId }).find((e) => e.message.startsWith('REPORT'));
    expect(report?.message).not.toContain('Init Duration');
    expect(runtime.get('alpha')?.workers).toBe(1);
  }, 60_000);

  it("reports each live worker's OS thread (Linux), a task of this process whose CPU time /proc shows", async () => {
    // Act
    await Promise.all([
      runtime.invoke('alpha', '{"action":"sleep","ms":100}'),
      runtime.invoke('alpha', '{"action":"sleep","ms":100}'),
    ]);
    const ids = runtime.get('alpha')?.osThreadIds ?? [];

    // Assert
    if (!existsSync('/proc/thread-self')) {
      // Not Linux: no thread ids to report (the benchmarks then show no per-function split).
      expect(ids).toStrictEqual([]);
      return;
    }
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      expect(id).not.toBe(process.pid);
      expect(readFileSync(`/proc/${process.pid}/task/${id}/stat`, 'utf8')).toMatch(new RegExp(`^${id} \\(`));
    }
    expect(runtime.get('beta')?.osThreadIds).toStrictEqual([]);
  }, 60_000);

  it('stops idle workers after the idle timeout, keeping the most recently used one', async () => {
    // Arrange
    const reaping = new LambdaRuntime({
      repoRoot,
      dataDir,
      endpoint: () => 'http://127.0.0.1:4566',
      logs,
      idleWorkerTimeoutMs: 100,
    });
    reaping.register(spec('epsilon'));
    await Promise.all([
      reaping.invoke('epsilon', '{"action":"sleep","ms":200}'),
      reaping.invoke('epsilon', '{"action":"sleep","ms":200}'),
    ]);
    const afterBurst = reaping.get('epsilon')?.workers;

    // Act
    await new Promise((done) => setTimeout(done, 400));
    const afterIdle = reaping.get('epsilon')?.workers;
    await reaping.close();

    // Assert
    expect([afterBurst, afterIdle]).toStrictEqual([2, 1]);
  }, 60_000);
});
