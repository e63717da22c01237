/**
 * Writes REPORT.md: `npx tsx --tsconfig tools/asl-engine/tsconfig.json tools/asl-engine/conformance/write-report.ts`
 * (the `conformance-report` target). Exits non-zero when a case fails that is not allowlisted, or an allowlisted
 * case passes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { loadCases } from './harness/cases';
import { formatTable, renderReport, tally } from './harness/report';
import { runAll } from './harness/run-all';

async function main(): Promise<void> {
  const started = Date.now();
  const cases = loadCases();
  const summary = await runAll(cases);
  const durationMs = Date.now() - started;
  const report = renderReport(cases, summary, {
    command: 'nx run asl-engine:conformance-report',
    date: new Date().toISOString().slice(0, 10),
    durationMs,
  });
  writeFileSync(path.join(__dirname, 'REPORT.md'), report);
  process.stdout.write(`${formatTable(tally(cases, summary))}\n`);
  const unexpected = summary.results.filter((r) => !r.pass && summary.allowlist[r.id] === undefined);
  const stale = summary.results.filter((r) => r.pass && summary.allowlist[r.id] !== undefined);
  for (const r of unexpected)
    process.stdout.write(
      `UNEXPECTED FAILURE ${r.id}: ${r.stage ?? ''} ${JSON.stringify(r.mismatch ?? r.detail)}\n`,
    );
  for (const r of stale) process.stdout.write(`ALLOWLISTED BUT PASSES (remove it) ${r.id}\n`);
  if (unexpected.length > 0 || stale.length > 0) process.exitCode = 1;
}

void main();
