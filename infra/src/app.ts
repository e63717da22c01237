#!/usr/bin/env node
/**
 * The CDK app. Run by the cdk CLI (`cdk synth`, `cdk deploy`; see infra/cdk.json) or directly
 * (`npx tsx infra/src/app.ts`, what `nx run infra:synth` does). Writes the cloud assembly to `CDK_OUTDIR`
 * (set by the CLI), else to `dist/infra/cdk.out`. cdk-nag's AwsSolutions and Serverless checks run on every synth,
 * except the local cloud's (context `flow:local` = true: the templates only feed the local cloud, never a deployment).
 */
import * as path from 'node:path';
import { buildApp } from './build-app';
import { REPO_ROOT } from './repo-root';

/** Context key the local cloud sets on its synth. */
const LOCAL_SYNTH_CONTEXT = 'flow:local';

/** Whether this synth is the local cloud's (the CDK CLI and the local cloud pass context in `CDK_CONTEXT_JSON`). */
const isLocalSynth = (): boolean => {
  try {
    const context = JSON.parse(process.env['CDK_CONTEXT_JSON'] ?? '{}') as Record<string, unknown>;
    return context[LOCAL_SYNTH_CONTEXT] === true || context[LOCAL_SYNTH_CONTEXT] === 'true';
  } catch {
    return false;
  }
};

const outdir = process.env['CDK_OUTDIR'] ?? path.join(REPO_ROOT, 'dist', 'infra', 'cdk.out');
const { app } = buildApp({ outdir, nag: !isLocalSynth() });
app.synth();
