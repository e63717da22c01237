import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VirtualClock } from './clock';
import { Engine } from './engine';
import { FileStore } from './file-store';
import { FakeIntegrations } from './test-support';

describe('FileStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'asl-file-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reopens after a torn last record and keeps everything written before it', async () => {
    // Arrange
    const clock = new VirtualClock();
    const store = await FileStore.open(dir);
    const engine = new Engine({ store, clock, integrations: new FakeIntegrations() });
    await engine.start();
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'm',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'e1', input: '{"a":1}' });
    await engine.waitForExecution(executionArn);
    await engine.close();
    await store.close();
    appendFileSync(path.join(dir, 'log.jsonl'), '0badc0de {"s":999,"r":{"t":"ev"'); // a write cut by kill -9
    // Act
    const reopened = await FileStore.open(dir);
    const again = new Engine({ store: reopened, clock, integrations: new FakeIntegrations() });
    await again.start();
    const d = await again.describeExecution({ executionArn });
    await again.close();
    await reopened.close();
    // Assert
    expect({ status: d.status, output: d.output }).toStrictEqual({ status: 'SUCCEEDED', output: '{"a":1}' });
  });
});
