import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../repo-root';
import { type SynthesizedApp, synthesizeApp } from '../testing/synth';
import { formatAsl } from './asl';

/**
 * The committed ASL (infra/asl/ComplexWorkflow.asl.json) is what the CDK code synthesizes, so every change to
 * the workflow shows up in review as a readable diff. After changing the workflow, run
 * `npx nx run infra:update-asl` and commit the file.
 */
describe('committed ASL', () => {
  let synthesized: SynthesizedApp;

  beforeAll(() => {
    synthesized = synthesizeApp();
  });

  it('infra/asl/ComplexWorkflow.asl.json matches the synthesized definition (update: npx nx run infra:update-asl)', () => {
    // Arrange
    const file = path.join(REPO_ROOT, 'infra', 'asl', 'ComplexWorkflow.asl.json');
    const committed = readFileSync(file, 'utf8');

    // Act
    const synthesizedText = formatAsl(synthesized.workflow.definition);

    // Assert
    expect(committed).toBe(synthesizedText);
  });
});
