import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type IConstruct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FlowChecks } from './flow-checks';
import { buildApp } from './build-app';
import { type SynthesizedApp, synthesizeApp } from './testing/synth';

/** Every acknowledgement recorded with `Validations.of(construct).acknowledge(...)` in the app. */
const acknowledgements = (root: IConstruct): { path: string; id: string; reason: string }[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

describe('cdk-nag AwsSolutions, Serverless and Flow', () => {
  let synthesized: SynthesizedApp;

  beforeAll(() => {
    synthesized = synthesizeApp();
  });

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
    ['Flow', new FlowChecks()],
  ])('%s reports zero unacknowledged findings on every stack', (_pack, checks) => {
    // Arrange
    const app = synthesized.stacks.workflow.node.root;

    // Act
    const report = checks.validateScope(app);

    // Assert
    expect(
      report.violations.map((violation) => ({
        rule: violation.ruleName,
        resources: violation.violatingResources.map((resource) => resource.constructPath),
      })),
    ).toStrictEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement names a rule finding and gives a reason', () => {
    // Arrange
    const app = synthesized.stacks.workflow.node.root;

    // Act
    const acknowledged = acknowledgements(app);

    // Assert
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) {
      expect(id).toMatch(/^(AwsSolutions-[A-Z]+\d+|(Serverless|Flow)-[A-Za-z]+)(\[.+\])?$/);
      expect(reason.trim().length).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges on the narrowest construct: the flagged CloudFormation resource or IAM policy', () => {
    // Arrange
    const app = synthesized.stacks.workflow.node.root;

    // Act
    const misplaced = acknowledgements(app).filter(
      (ack) => !(ack.id.includes('-IAM') ? /\/DefaultPolicy$/ : /\/Resource$/).test(ack.path),
    );

    // Assert
    expect(misplaced).toStrictEqual([]);
  });

  it('fails when a finding is not acknowledged (the check can fail)', () => {
    // Arrange: a fresh app whose approvals queue loses its dead-letter queue (SQS3).
    const fresh = synthesizeApp();
    const queue = fresh.stacks.messaging.approvalsQueue.node.defaultChild as { redrivePolicy?: unknown };
    queue.redrivePolicy = undefined;

    // Act
    const report = new AwsSolutionsChecks().validateScope(fresh.stacks.messaging);

    // Assert
    expect(report.violations.map((violation) => violation.ruleName)).toStrictEqual(['AwsSolutions-SQS3']);
  });

  it('fails the synth itself when a finding is not acknowledged (the validation plugin path)', () => {
    // Arrange: the app as `nx run infra:synth` builds it, with the approvals queue's DLQ removed.
    const outdir = mkdtempSync(path.join(tmpdir(), 'flow-nag-'));
    const { app, stacks } = buildApp({
      outdir,
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    (stacks.messaging.approvalsQueue.node.defaultChild as { redrivePolicy?: unknown }).redrivePolicy =
      undefined;

    // Act / Assert
    try {
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
