import type { Tree } from '@nx/devkit';
import { addStatementAfterImports, appendToConstLiteral, findConstLiteral } from './literal-edits';
import type { ServiceNaming } from './service-names';

/** The workspace files the generator edits to register a service (paths from the workspace root). */
export const RegistrationFiles = {
  /** `ServiceNames` (the service's name, shared by the app, infra and the local cloud). */
  names: 'libs/contracts/src/names.ts',
  /** The contracts barrel (exports the new contract). */
  contractsIndex: 'libs/contracts/src/index.ts',
  /** `StackNames` and `ServiceSizing`. */
  infraConfig: 'infra/src/config.ts',
  /** `registeredTaskServices`, which `buildApp` creates one stack for per entry. */
  stackRegistry: 'infra/src/stacks/task-service-registry.ts',
} as const;

/** Timeout (seconds) and memory (MiB) a new service starts with; tune them in `ServiceSizing`. */
export const DEFAULT_SIZING = { timeoutSeconds: 10, memorySize: 256 } as const;

/** The property key of an object literal entry's source text (`Key: ...`, `'key': ...`, `[Expr]: ...`). */
const keyOf = (entry: string): string => entry.slice(0, entry.indexOf(':')).trim();

/** Where a service is already registered, and where its name is taken. */
export interface RegistrationState {
  /** `ServiceNames` has the service (by key or by value). */
  readonly inServiceNames: boolean;
  /** `StackNames` has the service's key. */
  readonly inStackNames: boolean;
  /** `registeredTaskServices` has an entry for the service's stack: a previous run of this generator made it. */
  readonly inStackRegistry: boolean;
}

/** Reads where the service's names are already in use (throws when a file no longer has the expected shape). */
export const readRegistrationState = (tree: Tree, naming: ServiceNaming): RegistrationState => {
  const serviceNames = findConstLiteral(tree, RegistrationFiles.names, 'ServiceNames').entries;
  const stackNames = findConstLiteral(tree, RegistrationFiles.infraConfig, 'StackNames').entries;
  const registry = findConstLiteral(tree, RegistrationFiles.stackRegistry, 'registeredTaskServices').entries;
  findConstLiteral(tree, RegistrationFiles.infraConfig, 'ServiceSizing');
  return {
    inServiceNames: serviceNames.some(
      (entry) => keyOf(entry) === naming.className || entry.endsWith(`'${naming.name}'`),
    ),
    inStackNames: stackNames.some((entry) => keyOf(entry) === naming.className),
    inStackRegistry: registry.some((entry) => entry.includes(`StackNames.${naming.className}`)),
  };
};

/**
 * Registers the service everywhere the workspace lists services: `ServiceNames`, the contracts barrel, `StackNames`,
 * `ServiceSizing` and the stack registry. Each edit is skipped when it is already there.
 */
export const registerService = (tree: Tree, naming: ServiceNaming): void => {
  const { className, name, stackName } = naming;
  appendToConstLiteral(
    tree,
    RegistrationFiles.names,
    'ServiceNames',
    `${className}: '${name}'`,
    (entry) => keyOf(entry) === className,
  );
  addStatementAfterImports(tree, RegistrationFiles.contractsIndex, `export * from './${name}';`);
  appendToConstLiteral(
    tree,
    RegistrationFiles.infraConfig,
    'StackNames',
    `${className}: '${stackName}'`,
    (entry) => keyOf(entry) === className,
  );
  appendToConstLiteral(
    tree,
    RegistrationFiles.infraConfig,
    'ServiceSizing',
    `[ServiceNames.${className}]: { timeout: Duration.seconds(${DEFAULT_SIZING.timeoutSeconds}), memorySize: ${DEFAULT_SIZING.memorySize} }`,
    (entry) => keyOf(entry) === `[ServiceNames.${className}]`,
  );
  addStatementAfterImports(tree, RegistrationFiles.stackRegistry, `import { StackNames } from '../config';`);
  addStatementAfterImports(
    tree,
    RegistrationFiles.stackRegistry,
    `import { ${className}Stack } from './${name}-stack';`,
  );
  appendToConstLiteral(
    tree,
    RegistrationFiles.stackRegistry,
    'registeredTaskServices',
    `{ stackName: StackNames.${className}, stack: ${className}Stack }`,
    (entry) => entry.includes(`StackNames.${className}`),
  );
};
