import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildApp } from './build-app';
import { registeredTaskServices } from './stacks/task-service-registry';

/** The stacks of the services added with `nx g @flow/generators:service`, after the reference stacks. */
const registeredStackNames = registeredTaskServices.map(({ stackName }) => stackName);

/**
 * W3005 ("dependency already enforced by a GetAtt") flags the DependsOn CDK itself adds from a function to its
 * role's default policy: redundant but harmless, and not ours to change. Everything else must be clean.
 */
const CFN_LINT_IGNORED_CHECKS = ['W3005'] as const;

describe('synthesized templates', () => {
  let outdir: string;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'flow-cdk-out-'));
    // The synth path of `nx run infra:synth`, with cdk-nag registered as a validation plugin (app.synth() throws
    // on an unacknowledged finding). Asset bundling is skipped, and so is CDK's built-in CloudFormation
    // validation: cfn-lint below checks the same templates more strictly, in a fraction of the time.
    const { app } = buildApp({
      outdir,
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    app.synth();
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes one template per stack with cdk-nag passing', () => {
    // Arrange / Act
    const templates = readdirSync(outdir).filter((file) => file.endsWith('.template.json'));

    // Assert
    expect(templates.sort()).toStrictEqual(
      [
        'FlowApprovalApi.template.json',
        'FlowApprovalDispatcher.template.json',
        'FlowMessaging.template.json',
        'FlowProcessOrder.template.json',
        'FlowReserveInventory.template.json',
        'FlowScoreRisk.template.json',
        'FlowWorkflow.template.json',
        ...registeredStackNames.map((name) => `${name}.template.json`),
      ].sort(),
    );
  });

  it('the pinned cdk CLI reads the cloud assembly and lists every stack (what the deploy targets run)', () => {
    // Arrange
    const cli = require.resolve('aws-cdk/bin/cdk');

    // Act
    const listed = execFileSync(process.execPath, [cli, 'ls', '--app', outdir, '--no-notices'], {
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    });

    // Assert
    expect(listed.trim().split('\n')).toStrictEqual([
      'FlowMessaging',
      'FlowProcessOrder',
      'FlowReserveInventory',
      'FlowScoreRisk',
      'FlowApprovalDispatcher',
      'FlowApprovalApi',
      'FlowWorkflow',
      ...registeredStackNames,
    ]);
  });

  it('cfn-lint reports nothing on any template', () => {
    // Arrange
    const templates = readdirSync(outdir)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => path.join(outdir, file));

    // Act: cfn-lint exits non-zero (2 errors, 4 warnings, 8 informational) and prints each finding.
    let output = '';
    let status = 0;
    try {
      output = execFileSync('cfn-lint', ['--ignore-checks', ...CFN_LINT_IGNORED_CHECKS, '--', ...templates], {
        encoding: 'utf8',
      });
    } catch (error) {
      const failure = error as { status?: number; stdout?: string; stderr?: string };
      status = failure.status ?? -1;
      output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    }

    // Assert
    expect({ status, output }).toStrictEqual({ status: 0, output: '' });
  });
});
