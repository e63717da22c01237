#!/usr/bin/env node
/**
 * The CDK app. Run by the cdk CLI (`cdk synth`, `cdk deploy`; see infra/cdk.json) or directly
 * (`npx tsx infra/src/app.ts`, what `nx run infra:synth` does). Writes the cloud assembly to `CDK_OUTDIR`
 * (set by the CLI), else to `dist/infra/cdk.out`. cdk-nag's AwsSolutions and Serverless checks run on every synth.
 */
import * as path from 'node:path';
import { buildApp } from './build-app';
import { REPO_ROOT } from './repo-root';

const outdir = process.env['CDK_OUTDIR'] ?? path.join(REPO_ROOT, 'dist', 'infra', 'cdk.out');
const { app } = buildApp({ outdir });
app.synth();
