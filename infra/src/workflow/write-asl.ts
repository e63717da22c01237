/**
 * Writes the synthesized ASL of every state machine in the workflow stack to `infra/asl/<name>.asl.json`
 * (intrinsics rendered readably). Run `npx nx run infra:update-asl` after changing the workflow and commit
 * the result; the drift test fails until the committed file matches the CDK code.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../build-app';
import { REPO_ROOT } from '../repo-root';
import { formatAsl, synthesizedStateMachines } from './asl';

const { stacks } = buildApp({
  nag: false,
  builtinCloudFormationValidation: false,
  context: { 'aws:cdk:bundling-stacks': [] },
});
for (const machine of synthesizedStateMachines(Template.fromStack(stacks.workflow).toJSON())) {
  const file = path.join(REPO_ROOT, 'infra', 'asl', `${machine.name ?? machine.logicalId}.asl.json`);
  writeFileSync(file, formatAsl(machine.definition));
  process.stdout.write(`wrote ${path.relative(REPO_ROOT, file)}\n`);
}
