import { AWS_CHANGES, changesFor, recordedDay, withTodaysAwsBehaviour } from './aws-changes';
import { loadCases, type Json } from './cases';
import { Comparator } from './compare';

type Event = Record<string, Json>;

/** For each MapStateExited, the type of the event it links to. */
function exitLinks(events: readonly Json[] | undefined): string[] {
  const list = (events ?? []) as Event[];
  const byId = new Map(list.map((e) => [e['id'], e]));
  return list
    .filter((e) => e['type'] === 'MapStateExited')
    .map((e) => String(byId.get(e['previousEventId'])?.['type']));
}

describe('recordings older than an AWS change', () => {
  const withMapRun = loadCases().filter(
    (c) =>
      exitLinks(c.expected.events).length > 0 &&
      JSON.stringify(c.expected.history_types).includes('MapRunStarted'),
  );

  it('separates the distributed-Map recordings by date only: old ones link to MapRunSucceeded, new ones to MapRunStarted', () => {
    // Arrange
    const change = AWS_CHANGES[0];
    // Act
    const links = withMapRun.map((c) => ({
      day: recordedDay(c) ?? '',
      links: [...new Set(exitLinks(c.expected.events))],
    }));
    // Assert
    expect(change?.newSince).toBe('2024-11-13');
    for (const l of links) {
      expect(l).toStrictEqual({
        day: l.day,
        links: [l.day < '2024-11-13' ? 'MapRunSucceeded' : 'MapRunStarted'],
      });
    }
    expect(links.filter((l) => l.day < '2024-11-13')).toHaveLength(12);
    expect(links.filter((l) => l.day >= '2024-11-13')).toHaveLength(3);
  });

  it("rewrites an old recording's MapStateExited link to its MapRunStarted event and nothing else", () => {
    // Arrange
    const c = withMapRun.find((x) => x.id.includes('test_map_state_tolerated_failure_values[count_literal]'));
    if (c === undefined) throw new Error('case missing');
    // Act
    const today = withTodaysAwsBehaviour(c).expected.events as Event[];
    // Assert
    const before = c.expected.events as Event[];
    expect(changesFor(c).map((ch) => ch.name)).toStrictEqual([AWS_CHANGES[0]?.name]);
    expect(exitLinks(today)).toStrictEqual(['MapRunStarted']);
    const exitedAt = before.findIndex((e) => e['type'] === 'MapStateExited');
    expect(today.filter((_, i) => i !== exitedAt)).toStrictEqual(before.filter((_, i) => i !== exitedAt));
    expect({ ...today[exitedAt], previousEventId: 0 }).toStrictEqual({
      ...before[exitedAt],
      previousEventId: 0,
    });
  });

  it('fails when an engine links the exit as AWS did before the change', () => {
    // Arrange
    const c = withMapRun.find((x) => x.id.includes('test_map_state_tolerated_failure_values[count_literal]'));
    if (c === undefined) throw new Error('case missing');
    const today = withTodaysAwsBehaviour(c).expected.events as Json[];
    // Act
    const mismatch = new Comparator(c.transformers).compare(today, c.expected.events, 'events');
    // Assert
    expect(mismatch?.path).toMatch(/^events\[\d+\]\.previousEventId$/);
  });

  it('leaves recordings made after the change, and every other case, as they are', () => {
    // Arrange
    const cases = loadCases();
    // Act
    const changed = cases.filter((c) => withTodaysAwsBehaviour(c) !== c);
    // Assert
    expect(changed.every((c) => (recordedDay(c) ?? '') < '2024-11-13')).toBe(true);
    expect(changed).toHaveLength(12);
  });
});
