import * as path from 'node:path';
import { type GeneratorCallback, type Tree, generateFiles, getProjects, logger } from '@nx/devkit';
import { formatChangedFiles, pendingChanges } from './format';
import { RegistrationFiles, readRegistrationState, registerService } from './registration';
import { type ServiceNaming, serviceNaming } from './service-names';

/** Options of the `service` generator (see schema.json). */
export interface ServiceGeneratorSchema {
  /** The service's name in kebab-case, e.g. `ship-order`. */
  readonly name: string;
  /** One sentence saying what the task does. */
  readonly description?: string;
}

/** Where the generated files go. */
export const servicePaths = (naming: ServiceNaming) =>
  ({
    app: `apps/${naming.name}`,
    contract: `libs/contracts/src/${naming.name}.ts`,
    stack: `infra/src/stacks/${naming.name}-stack.ts`,
  }) as const;

/** Text of the steps left to the developer, printed after the files are written. */
export const nextSteps = (naming: ServiceNaming): string => {
  const { name, className, stackName } = naming;
  return [
    `Service ${name} is ready: apps/${name}, libs/contracts/src/${name}.ts, stack ${stackName} (infra/src/stacks/${name}-stack.ts).`,
    'Next:',
    `  1. Write the task: its contract (libs/contracts/src/${name}.ts), its logic (apps/${name}/src/${name}.ts) and their tests.`,
    `  2. Check it: npx nx run-many -p ${name} contracts -t lint typecheck test`,
    `  3. Check the stack: npx nx run infra:test (and npx nx run infra:synth writes dist/infra/cdk.out/${stackName}.template.json).`,
    `  4. Wire it into the workflow: in infra/src/stacks/workflow-stack.ts read it with service(ServiceNames.${className}, '${className}Function'),`,
    `     add its Task state in infra/src/workflow/complex-workflow.ts, then npx nx run infra:update-asl and commit infra/asl/.`,
    `  5. Deploy it alone: npx nx run ${name}:deploy`,
  ].join('\n');
};

/**
 * The description as one sentence (a full stop added when missing), or a placeholder when none was given.
 *
 * @throws Error when it spans lines or contains `*\/` (it goes into TSDoc comments and the README)
 */
export const serviceDescription = (naming: ServiceNaming, text: string | undefined): string => {
  const sentence = text?.trim() ?? '';
  if (sentence === '') return `The ${naming.className} task of the workflow (describe what it does).`;
  if (/[\r\n]|\*\//.test(sentence)) {
    throw new Error(
      `Invalid description ${JSON.stringify(sentence)}: one line of text without "*/" (it goes into TSDoc comments and the README).`,
    );
  }
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
};

/**
 * Fails unless the name is free, or was taken by an earlier run of this generator for the same service (then the run
 * only adds what is missing, so re-running with the same options changes nothing).
 *
 * @returns whether this is a re-run over an earlier generation
 */
const checkNameIsFree = (tree: Tree, naming: ServiceNaming): boolean => {
  const { name, className } = naming;
  const paths = servicePaths(naming);
  const state = readRegistrationState(tree, naming);
  const project = getProjects(tree).get(name);
  if (state.inStackRegistry && (project === undefined || project.root === paths.app)) return true;
  const taken = [
    project === undefined ? undefined : `a project named "${name}" already exists (${project.root})`,
    project === undefined && tree.exists(paths.app) ? `${paths.app} already exists` : undefined,
    tree.exists(paths.contract) ? `${paths.contract} already exists` : undefined,
    tree.exists(paths.stack) ? `${paths.stack} already exists` : undefined,
    state.inServiceNames
      ? `ServiceNames (${RegistrationFiles.names}) already has ${className} or '${name}'`
      : undefined,
    state.inStackNames ? `StackNames (${RegistrationFiles.infraConfig}) already has ${className}` : undefined,
  ].filter((reason): reason is string => reason !== undefined);
  if (taken.length > 0) {
    throw new Error(`Cannot create service "${name}": ${taken.join('; ')}. Choose another name.`);
  }
  return false;
};

/** Writes the files of one template folder, leaving any file that already exists as it is. */
const writeMissingFiles = (
  tree: Tree,
  folder: string,
  target: string,
  substitutions: Record<string, unknown>,
): void => {
  const scratch = `tmp/.generators-scratch/${target}`;
  generateFiles(tree, path.join(__dirname, 'files', folder), scratch, substitutions);
  for (const change of tree.listChanges()) {
    if (!change.path.startsWith(`${scratch}/`)) continue;
    const destination = `${target}/${change.path.slice(scratch.length + 1)}`;
    const content = tree.read(change.path);
    tree.delete(change.path);
    if (content !== null && !tree.exists(destination)) tree.write(destination, content);
  }
};

/**
 * `nx g @flow/generators:service --name=ship-order [--description="..."]`: a new task service with its contract
 * (libs/contracts), its app (apps/<name>: handler, pure logic, errors, specs, lint/typecheck/test/build/deploy
 * targets) and its stack (`Flow<Name>`, registered in infra so `cdk synth` includes it and it publishes its function
 * ARN through SSM). Idempotent: a re-run with the same options changes nothing.
 *
 * @throws Error when the name is not kebab-case or is already taken
 */
export const serviceGenerator = async (
  tree: Tree,
  options: ServiceGeneratorSchema,
): Promise<GeneratorCallback> => {
  const naming = serviceNaming(options.name);
  checkNameIsFree(tree, naming);
  const before = pendingChanges(tree);
  const description = serviceDescription(naming, options.description);
  const substitutions = { ...naming, description, tmpl: '' };
  const paths = servicePaths(naming);

  writeMissingFiles(tree, 'app', paths.app, substitutions);
  writeMissingFiles(tree, 'contract', path.posix.dirname(paths.contract), substitutions);
  writeMissingFiles(tree, 'stack', path.posix.dirname(paths.stack), substitutions);
  registerService(tree, naming);
  await formatChangedFiles(tree, before);

  return () => {
    logger.info(nextSteps(naming));
  };
};

export default serviceGenerator;
