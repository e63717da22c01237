/**
 * Developer tool: runs the cases whose id or category contains the argument and prints each failure's first
 * difference. `npx tsx --tsconfig tools/asl-engine/tsconfig.json tools/asl-engine/conformance/debug.ts choice`
 */
import { loadCases } from './harness/cases';
import { formatTable, tally } from './harness/report';
import { runAll } from './harness/run-all';

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const cases = loadCases();
  const started = Date.now();
  const summary = await runAll(cases, (c) => c.id.includes(filter) || c.category === filter);
  for (const r of summary.results.filter((x) => !x.pass)) {
    const tag = summary.allowlist[r.id] !== undefined ? 'allowlisted' : 'FAIL';
    process.stdout.write(
      `${tag} ${r.category} | ${r.id.split('::').slice(-1)[0] ?? r.id} | ${r.stage ?? ''} | ${JSON.stringify(r.mismatch ?? r.detail)} | ${r.id}\n`,
    );
  }
  const shown = cases.filter((c) => c.id.includes(filter) || c.category === filter);
  process.stdout.write(`${formatTable(tally(shown, summary))}\n${Date.now() - started} ms\n`);
}

void main();
