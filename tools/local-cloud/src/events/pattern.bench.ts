/**
 * Benchmark: EventBridge pattern matching and PutEvents routing (in process, no network).
 * Run: npx tsx --tsconfig tools/local-cloud/tsconfig.json tools/local-cloud/src/events/pattern.bench.ts
 */
import { EventBridgeService } from './event-bridge-service';
import { compilePattern } from './pattern';

const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'OrderSubmitted',
  source: 'flow.orders',
  account: '000000000000',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    orderId: 'o-123',
    status: 'APPROVED',
    amount: 150,
    ip: '10.0.0.17',
    file: 'Report.PDF',
    tags: ['a', 'b', 'c'],
    customer: { tier: 'gold', country: 'US' },
    items: [
      { sku: 'A-1', qty: 1 },
      { sku: 'B-2', qty: 3 },
    ],
  },
};

const patterns: Record<string, object> = {
  'source + detail-type (typical rule)': { source: ['flow.orders'], 'detail-type': ['OrderSubmitted'] },
  'CDK rule from §1 (numeric, prefix, anything-but)': {
    source: ['flow.orders'],
    'detail-type': ['OrderSubmitted'],
    detail: {
      amount: [{ numeric: ['>', 100] }],
      customer: { country: [{ prefix: 'U' }] },
      status: [{ 'anything-but': ['REJECTED'] }],
    },
  },
  'complex ($or, wildcard, cidr, arrays, ignore-case)': {
    source: ['flow.orders'],
    $or: [{ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { detail: { file: [{ wildcard: '*.pdf' }] } }],
    detail: {
      tags: ['z', 'c'],
      file: [{ suffix: { 'equals-ignore-case': '.pdf' } }],
      items: { sku: [{ prefix: 'B-' }], qty: [{ numeric: ['>=', 2] }] },
    },
  },
  'non-matching (fails on detail-type)': { source: ['flow.orders'], 'detail-type': ['OrderApproved'] },
};

interface Row {
  label: string;
  perSecond: number;
  cpuNsPerOp: number;
}

/** Wall-clock rate and CPU time per operation (CPU time is the steadier number on a shared machine). */
async function measure(label: string, iterations: number, fn: () => unknown): Promise<Row> {
  for (let i = 0; i < Math.min(iterations, 50_000); i++) await fn(); // warm-up
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < iterations; i++) await fn();
  const ns = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  return {
    label,
    perSecond: Math.round((iterations / ns) * 1e9),
    cpuNsPerOp: Math.round(((cpu.user + cpu.system) * 1000) / iterations),
  };
}

function measureSync(label: string, iterations: number, fn: () => unknown): Row {
  for (let i = 0; i < Math.min(iterations, 50_000); i++) fn(); // warm-up
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < iterations; i++) fn();
  const ns = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  return {
    label,
    perSecond: Math.round((iterations / ns) * 1e9),
    cpuNsPerOp: Math.round(((cpu.user + cpu.system) * 1000) / iterations),
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const [label, pattern] of Object.entries(patterns)) {
    const compiled = compilePattern(pattern);
    rows.push(measureSync(`match: ${label}`, 1_000_000, () => compiled.matches(event)));
  }
  const source = JSON.stringify(patterns['CDK rule from §1 (numeric, prefix, anything-but)']);
  let n = 0;
  rows.push(
    measureSync('compile + validate a new pattern (cache miss)', 50_000, () =>
      compilePattern(`${source.slice(0, -1)},"n${n++}":["x"]}`),
    ),
  );

  // PutEvents with 20 rules on the bus (1 matching), a no-op dispatcher: routing throughput end to end in process.
  const events = await EventBridgeService.open({ dispatcher: { dispatch: async () => undefined } });
  for (let i = 0; i < 20; i++) {
    events.putRule({
      Name: `r${i}`,
      EventPattern: JSON.stringify({
        source: ['flow.orders'],
        detail: { orderId: [`o-${i === 0 ? 123 : i}`] },
      }),
    });
    events.putTargets({
      Rule: `r${i}`,
      Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', InputPath: '$.detail' }],
    });
  }
  const entry = { Source: 'flow.orders', DetailType: 'OrderSubmitted', Detail: JSON.stringify(event.detail) };
  const entries = Array.from({ length: 10 }, () => entry);
  let calls = 0;
  const perCall = await measure(
    'PutEvents call: 10 entries → 20 rules → 1 delivery each (in memory)',
    20_000,
    async () => {
      events.putEvents({ Entries: entries });
      if (++calls % 100 === 0) await events.settled();
    },
  );
  await events.settled();
  rows.push({
    ...perCall,
    label: `${perCall.label}, per event`,
    perSecond: perCall.perSecond * 10,
    cpuNsPerOp: Math.round(perCall.cpuNsPerOp / 10),
  });
  await events.close();

  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('| benchmark | ops/s (wall) | CPU ns/op |\n|---|---:|---:|');
  for (const row of rows)
    console.log(`| ${row.label} | ${row.perSecond.toLocaleString('en-US')} | ${row.cpuNsPerOp} |`);
}

void main();
