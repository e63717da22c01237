import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runWriterUntilKilled } from '../test-support/kill-writer';
import { ManualClock } from './clock';
import { SqsService } from './sqs-service';

describe('SqsService after kill -9', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-kill9-'));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message; in-flight ones come back after their visibility timeout', async () => {
    // Arrange / Act
    const acknowledged = await runWriterUntilKilled(
      path.join(__dirname, 'test-support/sqs-kill-writer.ts'),
      dataDir,
      {
        verb: 'sent',
        minAcknowledged: 400,
      },
    );
    const clock = new ManualClock(Date.now());
    const sqs = await SqsService.open({ dataDir, clock });
    const visibleNow = sqs.peek('q', { limit: 100_000 }).filter((m) => m.state === 'visible').length;
    await clock.advance(30_000);
    const bodies = sqs.peek('q', { limit: 100_000 }).map((m) => m.body);
    // Assert: every acknowledged send is there (maybe a few more that were written but not yet acknowledged)
    const expected = Array.from({ length: acknowledged }, (_, n) => `m${n}`);
    expect(bodies.slice(0, acknowledged)).toStrictEqual(expected);
    expect(bodies.length).toBeGreaterThanOrEqual(acknowledged);
    // about half were in flight when the process died: hidden until their visibility timeout passed
    expect(visibleNow).toBeLessThan(bodies.length);
    expect(sqs.peek('q', { limit: 100_000 }).every((m) => m.state === 'visible')).toBe(true);
    await sqs.close();
  }, 60_000);
});
