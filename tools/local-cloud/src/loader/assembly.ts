import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CfnTemplate, type StackTemplate } from './types';

interface ManifestArtifact {
  type?: string;
  displayName?: string;
  properties?: { templateFile?: string; stackName?: string; directoryName?: string };
}

interface Manifest {
  artifacts?: Record<string, ManifestArtifact>;
}

/**
 * Reads the CloudFormation stacks of a cloud assembly directory (`cdk.out`): `manifest.json` artifacts of type
 * `aws:cloudformation:stack`, following nested assemblies (stages, `cdk:cloud-assembly`).
 */
export const readCloudAssembly = async (directory: string): Promise<StackTemplate[]> => {
  const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8')) as Manifest;
  const stacks: StackTemplate[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile !== undefined) {
      const template = JSON.parse(
        await readFile(join(directory, artifact.properties.templateFile), 'utf8'),
      ) as CfnTemplate;
      stacks.push({ stackName: artifact.properties.stackName ?? artifactId, template });
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName !== undefined) {
      stacks.push(...(await readCloudAssembly(join(directory, artifact.properties.directoryName))));
    }
  }
  return stacks;
};
