/**
 * Runs every case of the corpus (skipping, with the reason, those the engine cannot run).
 */
import { type ConformanceCase, loadAllowlist, loadCases, skipReason } from './cases';
import type { RunSummary } from './report';
import { type CaseResult, runCase } from './runner';

/** Runs the whole corpus (or the cases `filter` keeps) and returns what happened. */
export async function runAll(
  cases: readonly ConformanceCase[] = loadCases(),
  filter: (c: ConformanceCase) => boolean = () => true,
): Promise<RunSummary> {
  const results: CaseResult[] = [];
  const skipped: { id: string; category: string; reason: string }[] = [];
  for (const c of cases) {
    if (!filter(c)) continue;
    const reason = skipReason(c);
    if (reason !== undefined) {
      skipped.push({ id: c.id, category: c.category, reason });
      continue;
    }
    results.push(await runCase(c));
  }
  return { results, skipped, allowlist: loadAllowlist() };
}
