import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListMessageMoveTasksCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CloudProcess, REPO_ROOT } from './cloud-process';

jest.setTimeout(420_000);

const SHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const config = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' },
  maxAttempts: 1,
});

/** A sample order from samples/events with its own orderId. */
const sampleOrder = (
  file: string,
  orderId: string,
): { Source: string; DetailType: string; Detail: string; EventBusName: string }[] => {
  const entries = JSON.parse(readFileSync(path.join(REPO_ROOT, 'samples/events', file), 'utf8')) as {
    Source: string;
    DetailType: string;
    Detail: string;
    EventBusName: string;
  }[];
  return entries.map((entry) => ({
    ...entry,
    Detail: JSON.stringify({ ...(JSON.parse(entry.Detail) as Record<string, unknown>), orderId }),
  }));
};

let cloud: CloudProcess;
let browser: Browser;
let page: Page;
let events: EventBridgeClient;
let sqs: SQSClient;
const pageErrors: string[] = [];
const externalRequests: string[] = [];

beforeAll(async () => {
  cloud = await CloudProcess.start();
  events = new EventBridgeClient(config(cloud.endpoint));
  sqs = new SQSClient(config(cloud.endpoint));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Works offline: every request the page makes goes to the local cloud (checked after each test).
  page.on('request', (request) => {
    if (!request.url().startsWith(cloud.endpoint)) externalRequests.push(request.url());
  });
});

afterAll(async () => {
  await browser?.close();
  events?.destroy();
  sqs?.destroy();
  await cloud?.stop();
});

afterEach(() => {
  expect(pageErrors).toStrictEqual([]);
  expect(externalRequests).toStrictEqual([]);
});

/** Opens the newest execution from the Executions list (the one the test just started). */
const openNewestExecution = async (): Promise<void> => {
  await page.goto(`${cloud.endpoint}/#/executions`);
  // The newest execution is first; the list updates live when the order's execution starts.
  const link = page.locator('[data-testid=executions] tbody tr a').first();
  await link.waitFor({ timeout: 60_000 });
  await link.click();
  await page.locator('[data-testid=execution-summary]').waitFor();
};

describe('console', () => {
  it('draws the workflow graph with nested branches and distinct Catch edges', async () => {
    // Arrange / Act
    await page.goto(`${cloud.endpoint}/`);
    const graph = page.locator('[data-testid=workflow-graph]');
    await graph.waitFor();

    // Assert
    await expect(graph.locator('[data-state=AwaitApproval]').count()).resolves.toBe(1);
    await expect(
      graph.locator('.node.type-parallel .node.type-branch').count(),
    ).resolves.toBeGreaterThanOrEqual(2);
    await expect(graph.locator('path.edge-catch').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('span.muted', { hasText: 'its executions' }).textContent()).resolves.toMatch(
      /^\d+ states · its executions$/,
    );
    await page.screenshot({ path: path.join(SHOTS, 'workflows.png'), fullPage: true });
  });

  it('shows an order waiting at AwaitApproval live, refuses the requester, and succeeds once an approver approves', async () => {
    // Arrange: publish an order that needs approval, as a user would
    await events.send(
      new PutEventsCommand({ Entries: sampleOrder('order-needs-approval.json', 'ord-console-1') }),
    );
    await openNewestExecution();

    // Act / Assert: the graph shows the path live up to the waiting state (or the failure, to report it)
    await page
      .locator(
        '[data-testid=workflow-graph] [data-state=AwaitApproval][data-status=running], h1 [data-status=FAILED]',
      )
      .first()
      .waitFor({ timeout: 90_000 });
    const failure = page.locator('[data-testid=execution-error]');
    expect((await failure.count()) === 0 ? '' : await failure.textContent()).toBe('');
    await expect(page.locator('[data-state=ProcessTask]').getAttribute('data-status')).resolves.toBe(
      'succeeded',
    );
    await expect(
      page.locator('[data-testid=execution-summary] dd').first().textContent(),
    ).resolves.toStrictEqual('ComplexWorkflow (STANDARD)');
    await page.screenshot({ path: path.join(SHOTS, 'execution-awaiting-approval.png'), fullPage: true });
    const executionUrl = page.url();

    // Act: the requester tries to approve her own order
    await page.goto(`${cloud.endpoint}/#/approvals`);
    const row = page.locator('[data-testid=pending] tr[data-order=ord-console-1]');
    await row.waitFor({ timeout: 60_000 });
    await page.getByLabel('Signed in as').selectOption('carol');
    await row.getByRole('button', { name: 'Approve' }).click();

    // Assert: the approvals API answers 403, shown to the user
    const message = page.locator('[data-testid=approval-message]');
    await expect(message.textContent()).resolves.toBeDefined();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=approval-message]')?.textContent?.includes('403'),
    );
    await expect(message.getAttribute('role')).resolves.toBe('alert');
    await page.screenshot({ path: path.join(SHOTS, 'approvals-requester-forbidden.png'), fullPage: true });

    // Act: an approver approves with a comment
    await page.getByLabel('Signed in as').selectOption('alice');
    await row.getByLabel('Comment on order ord-console-1').fill('Checked the invoice');
    await row.getByRole('button', { name: 'Approve' }).click();

    // Assert: decided, with its audit trail
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid=approval-message]')
        ?.textContent?.includes('Approved order ord-console-1'),
    );
    const decided = page.locator('[data-testid=decided] tr[data-order=ord-console-1]');
    await decided.waitFor();
    await decided.getByRole('button', { name: 'Show audit' }).click();
    await decided.locator('.audit li', { hasText: 'decided' }).waitFor();
    await expect(decided.textContent()).resolves.toContain('Checked the invoice');
    await page.screenshot({ path: path.join(SHOTS, 'approvals-decided.png'), fullPage: true });

    // Assert: the execution succeeds, live on its page
    await page.goto(executionUrl);
    await page.locator('h1 [data-status=SUCCEEDED]').waitFor({ timeout: 90_000 });
    await expect(page.locator('[data-state=AwaitApproval]').getAttribute('data-status')).resolves.toBe(
      'succeeded',
    );
    await expect(page.locator('[data-testid=history]').textContent()).resolves.toContain(
      'ExecutionSucceeded',
    );
    const transitions = Number(await page.locator('[data-testid=transitions]').textContent());
    expect(transitions).toBeGreaterThan(5);
    await expect(page.locator('[data-testid=cost]').textContent()).resolves.toContain('$0.0');
    await expect(page.content()).resolves.not.toMatch(/AQ[A-Za-z0-9_-]{256}/);
    await page.screenshot({ path: path.join(SHOTS, 'execution-succeeded.png'), fullPage: true });
  });

  it('shows a failed execution with its error, and redrives it', async () => {
    // Arrange: an invalid order fails the workflow
    await events.send(
      new PutEventsCommand({ Entries: sampleOrder('order-invalid.json', 'ord-console-bad') }),
    );
    await page.goto(`${cloud.endpoint}/#/executions`);
    await page.getByLabel('Status').selectOption('FAILED');
    const link = page.locator('[data-testid=executions] tbody tr a').first();
    await link.waitFor({ timeout: 90_000 });
    await link.click();

    // Assert: the error and its cause are shown
    const error = page.locator('[data-testid=execution-error]');
    await error.waitFor();
    await expect(error.textContent()).resolves.toMatch(/Error: \S+/);
    await expect(
      page.locator('[data-testid=workflow-graph] [data-status=failed]').count(),
    ).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'execution-failed.png'), fullPage: true });

    // Act
    await page.getByRole('button', { name: 'Redrive' }).click();

    // Assert: the redrive is recorded in the history
    await page.waitForFunction(
      () => document.querySelector('[data-testid=history]')?.textContent?.includes('ExecutionRedriven'),
      undefined,
      { timeout: 60_000 },
    );
    await expect(page.locator('[role=status]', { hasText: 'Redrive started.' }).count()).resolves.toBe(1);
  });

  it('shows a dead-lettered message and redrives it to its source queue', async () => {
    // Arrange: a message in the approvals dead-letter queue
    await page.goto(`${cloud.endpoint}/#/queues`);
    const dlqRow = page.locator('[data-testid=queues] tr', { hasText: 'DLQ of' }).first();
    await dlqRow.waitFor();
    const dlqName = (await dlqRow.getAttribute('data-queue')) ?? '';
    const before = Number(await dlqRow.locator('[data-testid=depth]').textContent());
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: `${cloud.endpoint}/000000000000/${dlqName}`,
        MessageBody: JSON.stringify({ note: 'dead-lettered by the console e2e test' }),
        MessageAttributes: { origin: { DataType: 'String', StringValue: 'console-e2e' } },
      }),
    );

    // Act: the depth updates live; open the message
    await page.waitForFunction(
      ([name, depth]) =>
        document.querySelector(`tr[data-queue="${name}"] [data-testid=depth]`)?.textContent === depth,
      [dlqName, String(before + 1)] as const,
    );
    await dlqRow.getByRole('button', { name: 'Messages' }).click();
    const message = page.locator('[data-testid=messages] details').first();
    await message.locator('summary').click();

    // Assert: body and attributes
    await expect(message.textContent()).resolves.toContain('dead-lettered by the console e2e test');
    await expect(message.textContent()).resolves.toContain('console-e2e');
    await page.screenshot({ path: path.join(SHOTS, 'queues-dlq.png'), fullPage: true });

    // Act: redrive
    await dlqRow.getByRole('button', { name: 'Redrive' }).click();

    // Assert: a move task ran from the DLQ and the DLQ emptied
    await page.waitForFunction(
      (name) => document.querySelector(`tr[data-queue="${name}"] [data-testid=depth]`)?.textContent === '0',
      dlqName,
    );
    const tasks = await sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: `arn:aws:sqs:us-east-1:000000000000:${dlqName}` }),
    );
    expect(tasks.Results?.[0]?.ApproximateNumberOfMessagesMoved).toBe(before + 1);
  });

  it('lists a published order on the Events page with the rule it matched and its delivery, and replays it', async () => {
    // Arrange
    const orderId = `console-events-${Date.now()}`;

    // Act: publish an order; the page updates live
    await page.goto(`${cloud.endpoint}/#/events`);
    await events.send(new PutEventsCommand({ Entries: sampleOrder('order-auto-approved.json', orderId) }));
    // (the workflow's own events about the order, e.g. OrderApproved, carry its orderId too)
    const row = page
      .locator('[data-testid=events] tbody tr', { hasText: orderId })
      .filter({ has: page.getByRole('cell', { name: 'OrderSubmitted', exact: true }) });
    await row.getByText('delivered').waitFor({ timeout: 60_000 });
    const cells = await row.locator('td').allTextContents();

    // Assert: bus, source, detail type, the rule that starts the workflow, its target delivered, the detail
    expect(cells[1]).toBe('orders');
    expect(cells[3]).toBe('OrderSubmitted');
    expect(cells[4]).toMatch(/OrderSubmitted/i);
    expect(cells[5]).toContain('delivered');
    expect(cells[6]).toContain(orderId);
    await page.screenshot({ path: path.join(SHOTS, 'events.png'), fullPage: true });

    // Act: replay it from the bus's archive
    await row
      .getByRole('button', { name: /^Replay from / })
      .first()
      .click();

    // Assert: the page says the replay started, with the replay's name
    const status = page.locator('section[aria-labelledby=ev-title] [role=status]');
    await status.getByText('Replay started').waitFor();
    expect((await status.textContent())?.trim()).toMatch(/^Replay started \(.+\)\.$/);
  });
});
