import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { intFlag, parseCommandLine } from './args';
import { demoEntries } from './demo';
import { issueToken } from './identity';
import { formatLogEntry } from './logs';
import { readEntries } from './publish';
import { findRepoRoot } from './repo-root';

describe('parseCommandLine', () => {
  it('defaults to serve and reads flags', () => {
    // Act
    const serve = parseCommandLine(['--port', '0', '--reset']);
    const logs = parseCommandLine(['logs', '--function', 'fn', '-f']);

    // Assert
    expect(serve).toStrictEqual({ command: 'serve', positionals: [], flags: { port: '0', reset: true } });
    expect(logs).toStrictEqual({ command: 'logs', positionals: [], flags: { function: 'fn', follow: true } });
  });

  it('reads `help` as --help and `show` as `execution`', () => {
    // Act
    const help = parseCommandLine(['help']);
    const show = parseCommandLine(['show', 'my-run']);

    // Assert
    expect(help.flags['help']).toBe(true);
    expect(show).toStrictEqual({ command: 'execution', positionals: ['my-run'], flags: {} });
  });

  it('fails when a flag is unknown, naming it', () => {
    // Act / Assert
    expect(() => parseCommandLine(['--prot', '1'])).toThrow("Unknown option '--prot'");
  });

  it('fails when a numeric flag is not a non-negative integer', () => {
    // Act / Assert
    expect(intFlag('4566', 'port', 1)).toBe(4566);
    expect(intFlag(undefined, 'port', 1)).toBe(1);
    expect(() => intFlag('abc', 'port', 1)).toThrow("--port must be a non-negative integer, got 'abc'.");
  });
});

describe('readEntries', () => {
  it('reads the put-events array, a {"Entries"} request and a single entry with an object Detail', async () => {
    // Arrange
    const dir = mkdtempSync(path.join(tmpdir(), 'publish-'));
    const entry = { Source: 's', DetailType: 'd', Detail: '{"a":1}' };
    writeFileSync(path.join(dir, 'array.json'), JSON.stringify([entry]));
    writeFileSync(path.join(dir, 'request.json'), JSON.stringify({ Entries: [entry] }));
    writeFileSync(
      path.join(dir, 'single.json'),
      JSON.stringify({ Source: 's', DetailType: 'd', Detail: { a: 1 } }),
    );

    // Act
    const results = await Promise.all(
      ['array', 'request', 'single'].map((name) => readEntries(path.join(dir, `${name}.json`))),
    );

    // Assert
    for (const result of results) expect(result).toStrictEqual([entry]);
  });

  it('fails when the file is not JSON, naming the file', async () => {
    // Arrange
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'publish-')), 'bad.json');
    writeFileSync(file, '{nope');

    // Act / Assert
    await expect(readEntries(file)).rejects.toThrow(`${file} is not JSON`);
  });
});

describe('demoEntries', () => {
  it('publishes auto-approved, waiting and invalid sample orders with distinct order ids', async () => {
    // Act
    const entries = await demoEntries(findRepoRoot(__dirname), 'r1');

    // Assert
    const orderIds = entries.map((e) => (JSON.parse(e.Detail) as { orderId: string }).orderId);
    expect(entries).toHaveLength(5);
    expect(new Set(orderIds).size).toBe(5);
    expect(orderIds.every((id) => id.includes('-demo-r1-'))).toBe(true);
    expect(entries.every((e) => e.DetailType === 'OrderSubmitted' && e.EventBusName === 'orders')).toBe(true);
  });
});

describe('formatLogEntry', () => {
  it('renders a Powertools JSON line as time, level, function, message and the extra keys', () => {
    // Arrange
    const message = JSON.stringify({
      level: 'WARN',
      message: 'order is invalid',
      timestamp: '2026-01-01T00:00:00.000Z',
      service: 'process-order',
      cold_start: true,
      orderId: 'o-1',
    });

    // Act
    const line = formatLogEntry({
      time: Date.UTC(2026, 0, 1, 10, 11, 12, 13),
      functionName: 'fn',
      requestId: 'r',
      stream: 'stdout',
      message,
    });

    // Assert
    expect(line).toBe('10:11:12.013 WARN  fn order is invalid {"orderId":"o-1"}');
  });

  it('summarises an embedded-metric-format line by its metrics', () => {
    // Arrange
    const message = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [
          { Namespace: 'n', Dimensions: [], Metrics: [{ Name: 'OrderProcessed', Unit: 'Count' }] },
        ],
      },
      service: 'process-order',
      OrderProcessed: 1,
    });

    // Act
    const line = formatLogEntry({
      time: Date.UTC(2026, 0, 1),
      functionName: 'fn',
      requestId: 'r',
      stream: 'stdout',
      message,
    });

    // Assert
    expect(line).toBe('00:00:00.000 EMF   fn metrics OrderProcessed=1');
  });

  it('renders a plain line as written', () => {
    // Act
    const line = formatLogEntry({
      time: Date.UTC(2026, 0, 1),
      functionName: 'fn',
      requestId: 'r',
      stream: 'stdout',
      message: 'hello',
    });

    // Assert
    expect(line).toBe('00:00:00.000       fn hello');
  });
});

describe('issueToken', () => {
  it('issues an ES256 JWT for a local user with the approvals issuer, audience and roles', async () => {
    // Arrange
    const dataDir = mkdtempSync(path.join(tmpdir(), 'token-'));

    // Act
    const token = await issueToken(dataDir, 'alice', 600);

    // Assert
    expect(decodeProtectedHeader(token)).toStrictEqual({
      alg: 'ES256',
      kid: 'local-approvals-1',
      typ: 'JWT',
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: 'alice',
      name: 'Alice Approver',
      roles: ['approver'],
      iss: 'https://idp.local-cloud.invalid/',
      aud: 'approvals-api',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(600);
  });

  it('fails when the user is unknown, listing the known users', async () => {
    // Act / Assert
    await expect(issueToken(mkdtempSync(path.join(tmpdir(), 'token-')), 'mallory')).rejects.toThrow(
      "Unknown local user 'mallory'. Known users: alice, bob, carol, dave.",
    );
  });
});
