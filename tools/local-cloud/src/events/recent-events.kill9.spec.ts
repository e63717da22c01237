import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runWriterUntilKilled } from '../test-support/kill-writer';
import { EventBridgeService } from './event-bridge-service';

describe('EventBridgeService recent events after kill -9', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-kill9-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the newest acknowledged events, in order, with their delivery statuses', async () => {
    // Arrange / Act: the writer keeps 50 events and compacts its journal every 200 records (2 per event)
    const acknowledged = await runWriterUntilKilled(
      path.join(__dirname, 'test-support/events-kill-writer.ts'),
      dataDir,
      {
        verb: 'put',
        minAcknowledged: 300,
      },
    );
    const events = await EventBridgeService.open({
      dataDir,
      recentEventsLimit: 50,
      dispatcher: { dispatch: async () => undefined },
    });
    const kept = events.recentEvents().reverse();
    const numbers = kept.map((entry) => (entry.event.detail as { n: number }).n);
    // Assert: 50 consecutive events, the last acknowledged among them (maybe one more written but not acknowledged)
    const first = numbers[0] ?? -1;
    expect(numbers).toStrictEqual(Array.from({ length: 50 }, (_, i) => first + i));
    expect(numbers).toContain(acknowledged - 1);
    expect(first + 50 - acknowledged).toBeLessThanOrEqual(1);
    const statuses = kept.filter((entry) => (entry.event.detail as { n: number }).n < acknowledged);
    expect(new Set(statuses.map((entry) => entry.deliveries[0]?.status))).toStrictEqual(
      new Set(['delivered']),
    );
    await events.close();
  }, 60_000);
});
