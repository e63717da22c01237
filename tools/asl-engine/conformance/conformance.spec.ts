/**
 * The conformance suite: every recorded case of cases.jsonl (AWS Step Functions answers) run through the engine.
 * A case not in allowlist.json must pass; an allowlisted case must still fail (so the list only shrinks).
 * Cases the engine cannot run are reported with their reason (REPORT.md and the printed table).
 */
import { loadAllowlist, loadCases, skipReason } from './harness/cases';
import { formatTable, tally } from './harness/report';
import { type CaseResult, runCase } from './harness/runner';

const cases = loadCases();
const allowlist = loadAllowlist();
const results: CaseResult[] = [];
const categories = [...new Set(cases.map((c) => c.category))].sort();

afterAll(() => {
  const skipped = cases.flatMap((c) => {
    const reason = skipReason(c);
    return reason === undefined ? [] : [{ id: c.id, category: c.category, reason }];
  });
  process.stdout.write(
    `\nASL conformance (cases run in this process):\n${formatTable(tally(cases, { results, skipped, allowlist }))}\n`,
  );
});

describe('conformance corpus', () => {
  it('lists only existing cases in the allowlist, each with a reason', () => {
    // Arrange
    const ids = new Set(cases.map((c) => c.id));
    // Act
    const unknown = Object.keys(allowlist).filter((id) => !ids.has(id));
    const blank = Object.entries(allowlist).filter(([, reason]) => reason.trim() === '');
    // Assert
    expect({ unknown, blank }).toStrictEqual({ unknown: [], blank: [] });
  });

  it('gives every case it cannot run a reason', () => {
    // Arrange
    const skipped = cases.filter((c) => skipReason(c) !== undefined);
    // Act
    const reasons = skipped.map((c) => skipReason(c) ?? '');
    // Assert
    expect(reasons.every((r) => r.length > 20)).toBe(true);
    expect(skipped.every((c) => c.subset === 'other_services' || c.subset === 'test_state_api')).toBe(true);
  });
});

describe.each(categories)('%s', (category) => {
  const runnable = cases.filter((c) => c.category === category && skipReason(c) === undefined);
  if (runnable.length === 0) {
    it('has no runnable case (all skipped, see REPORT.md)', () => {
      // Arrange / Act
      const skipped = cases.filter((c) => c.category === category);
      // Assert
      expect(skipped.every((c) => skipReason(c) !== undefined)).toBe(true);
    });
    return;
  }
  it.each(runnable.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    // Arrange
    const allowlisted = allowlist[c.id];
    // Act
    const result = await runCase(c);
    results.push(result);
    // Assert
    if (allowlisted !== undefined) {
      expect({ id: c.id, passesButAllowlisted: result.pass }).toStrictEqual({
        id: c.id,
        passesButAllowlisted: false,
      });
    } else {
      expect({
        id: c.id,
        pass: result.pass,
        stage: result.stage,
        mismatch: result.mismatch,
        detail: result.detail,
      }).toStrictEqual({
        id: c.id,
        pass: true,
        stage: undefined,
        mismatch: undefined,
        detail: undefined,
      });
    }
  });
});
