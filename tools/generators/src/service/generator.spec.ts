import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { serviceGenerator } from './generator';
import { RegistrationFiles } from './registration';

const WORKSPACE_ROOT = path.join(__dirname, '..', '..', '..', '..');

/** The files the generator edits or reads, with their real current contents, plus every real project.json. */
const SEEDED_FILES = [
  '.prettierrc.json',
  ...Object.values(RegistrationFiles),
  ...[
    'apps/process-order',
    'apps/reserve-inventory',
    'apps/score-risk',
    'apps/approval-dispatcher',
    'apps/approval-api',
    'libs/contracts',
    'libs/observability',
    'libs/testing',
    'libs/durable-log',
    'infra',
    'tools/asl-engine',
    'tools/local-cloud',
  ].map((root) => `${root}/project.json`),
];

const seededTree = (): Tree => {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of SEEDED_FILES) tree.write(file, readFileSync(path.join(WORKSPACE_ROOT, file), 'utf8'));
  return tree;
};

/** Every file of the tree (all of them are changes of a virtual tree), with its content, sorted by path. */
const changedFiles = (tree: Tree): Record<string, string> =>
  Object.fromEntries(
    tree
      .listChanges()
      .map((change) => [change.path, tree.read(change.path, 'utf-8') ?? '<deleted>'] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

/** The lines `after` has beyond `before` (the generator only inserts lines into files it does not own). */
const addedLines = (before: string, after: string): string[] => {
  const remaining = before.split('\n');
  return after.split('\n').filter((line) => {
    const index = remaining.indexOf(line);
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
};

const quietly = async <T>(action: () => Promise<T>): Promise<T> => {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const info = jest.spyOn(console, 'info').mockImplementation(() => undefined);
  try {
    return await action();
  } finally {
    log.mockRestore();
    info.mockRestore();
  }
};

describe('service generator', () => {
  it('creates the contract, the app and the stack, and registers the service (snapshot)', async () => {
    // Arrange
    const tree = seededTree();
    const initial = changedFiles(tree);

    // Act
    await serviceGenerator(tree, { name: 'ship-order', description: 'Books the parcel with the carrier.' });

    // Assert
    const files = changedFiles(tree);
    const created = Object.keys(files).filter((file) => !(file in initial));
    const before = Object.fromEntries(Object.entries(initial).filter(([file, text]) => files[file] !== text));
    expect(created).toStrictEqual([
      'apps/ship-order/jest.config.cjs',
      'apps/ship-order/jest.env.cjs',
      'apps/ship-order/project.json',
      'apps/ship-order/README.md',
      'apps/ship-order/src/errors.ts',
      'apps/ship-order/src/handler.spec.ts',
      'apps/ship-order/src/handler.ts',
      'apps/ship-order/src/ship-order.spec.ts',
      'apps/ship-order/src/ship-order.ts',
      'apps/ship-order/tsconfig.json',
      'infra/src/stacks/ship-order-stack.ts',
      'libs/contracts/src/ship-order.ts',
    ]);
    for (const file of created) expect(files[file]).toMatchSnapshot(file);
    expect(
      Object.fromEntries(
        Object.entries(before).map(([file, text]) => [file, addedLines(text, files[file] ?? '')] as const),
      ),
    ).toStrictEqual({
      [RegistrationFiles.names]: ["  ShipOrder: 'ship-order',"],
      [RegistrationFiles.contractsIndex]: ["export * from './ship-order';"],
      [RegistrationFiles.infraConfig]: [
        "  ShipOrder: 'FlowShipOrder',",
        '  [ServiceNames.ShipOrder]: { timeout: Duration.seconds(10), memorySize: 256 },',
      ],
      [RegistrationFiles.stackRegistry]: expect.arrayContaining([
        "import { StackNames } from '../config';",
        "import { ShipOrderStack } from './ship-order-stack';",
        '  { stackName: StackNames.ShipOrder, stack: ShipOrderStack },',
      ]) as unknown,
    });
    expect(files[RegistrationFiles.stackRegistry]).toMatchSnapshot(RegistrationFiles.stackRegistry);
  });

  it('gives the app the same targets as the reference services, deploying its own stack', async () => {
    // Arrange
    const tree = seededTree();
    const reference = JSON.parse(tree.read('apps/score-risk/project.json', 'utf-8') ?? '{}') as {
      targets: Record<string, unknown>;
    };

    // Act
    await serviceGenerator(tree, { name: 'ship-order' });

    // Assert
    const generated = JSON.parse(tree.read('apps/ship-order/project.json', 'utf-8') ?? '{}') as {
      targets: Record<string, unknown>;
    };
    expect(
      JSON.parse(JSON.stringify(generated.targets).replaceAll('ship-order', 'score-risk')),
    ).toStrictEqual(JSON.parse(JSON.stringify(reference.targets).replace('FlowScoreRisk', 'FlowShipOrder')));
  });

  it('should be idempotent when re-run with same options', async () => {
    // Arrange
    const tree = seededTree();
    const options = { name: 'ship-order', description: 'Books the parcel with the carrier.' };
    await serviceGenerator(tree, options);
    const first = changedFiles(tree);

    // Act
    await serviceGenerator(tree, options);

    // Assert
    expect(changedFiles(tree)).toStrictEqual(first);
  });

  it('keeps a second service beside the first in every registry', async () => {
    // Arrange
    const tree = seededTree();
    await serviceGenerator(tree, { name: 'ship-order' });

    // Act
    await serviceGenerator(tree, { name: 'notify-customer' });

    // Assert
    const registry = tree.read(RegistrationFiles.stackRegistry, 'utf-8') ?? '';
    expect(registry.match(/^ {2}\{ stackName: .*$/gm)).toStrictEqual([
      '  { stackName: StackNames.ShipOrder, stack: ShipOrderStack },',
      '  { stackName: StackNames.NotifyCustomer, stack: NotifyCustomerStack },',
    ]);
    expect(registry.match(/^import \{ StackNames \}/gm)).toHaveLength(1);
    expect(tree.read(RegistrationFiles.names, 'utf-8')).toContain(
      "  ShipOrder: 'ship-order',\n  NotifyCustomer: 'notify-customer',\n} as const;",
    );
  });

  it('prints what to do next: checks, wiring into the workflow, deploy', async () => {
    // Arrange
    const tree = seededTree();
    const callback = await serviceGenerator(tree, { name: 'ship-order' });
    const lines: string[] = [];
    const info = jest.spyOn(console, 'info').mockImplementation((text: unknown) => {
      lines.push(String(text));
    });

    // Act
    await callback();

    // Assert
    info.mockRestore();
    const printed = lines.join('\n');
    expect(printed).toContain('npx nx run-many -p ship-order contracts -t lint typecheck test');
    expect(printed).toContain("service(ServiceNames.ShipOrder, 'ShipOrderFunction')");
    expect(printed).toContain('npx nx run infra:update-asl');
    expect(printed).toContain('npx nx run ship-order:deploy');
  });

  it.each([
    ['ShipOrder', 'Invalid service name "ShipOrder": use kebab-case'],
    ['ship_order', 'Invalid service name "ship_order": use kebab-case'],
    ['ship--order', 'Invalid service name "ship--order": use kebab-case'],
    ['1-ship', 'Invalid service name "1-ship": use kebab-case'],
    ['ship-order-', 'Invalid service name "ship-order-": use kebab-case'],
    ['', 'Invalid service name "": use kebab-case'],
    ['a'.repeat(41), `Invalid service name "${'a'.repeat(41)}": at most 40 characters (it has 41).`],
  ])('fails when the name is invalid: %j', async (name, message) => {
    // Arrange
    const tree = seededTree();
    const before = changedFiles(tree);

    // Act
    const failure = serviceGenerator(tree, { name });

    // Assert
    await expect(failure).rejects.toThrow(message);
    expect(changedFiles(tree)).toStrictEqual(before);
  });

  it('ends the description with a full stop, and uses a placeholder without one', async () => {
    // Arrange
    const tree = seededTree();

    // Act
    await serviceGenerator(tree, { name: 'ship-order', description: '  Books the parcel with the carrier ' });
    await serviceGenerator(tree, { name: 'notify-customer' });

    // Assert
    expect(tree.read('apps/ship-order/README.md', 'utf-8')).toContain(
      '\nBooks the parcel with the carrier.\n',
    );
    expect(tree.read('apps/notify-customer/README.md', 'utf-8')).toContain(
      '\nThe NotifyCustomer task of the workflow (describe what it does).\n',
    );
  });

  it.each([
    [
      'Books the parcel.\nThen waits.',
      'Invalid description "Books the parcel.\\nThen waits.": one line of text',
    ],
    [
      'Ends a comment */ early',
      'Invalid description "Ends a comment */ early": one line of text without "*/"',
    ],
  ])('fails when the description is not one line of text: %j', async (description, message) => {
    // Arrange
    const tree = seededTree();
    const before = changedFiles(tree);

    // Act
    const failure = serviceGenerator(tree, { name: 'ship-order', description });

    // Assert
    await expect(failure).rejects.toThrow(message);
    expect(changedFiles(tree)).toStrictEqual(before);
  });

  it.each([
    [
      'score-risk',
      'Cannot create service "score-risk": a project named "score-risk" already exists (apps/score-risk)',
    ],
    ['infra', 'Cannot create service "infra": a project named "infra" already exists (infra)'],
    ['contracts', 'a project named "contracts" already exists (libs/contracts)'],
    ['risk', 'Cannot create service "risk": libs/contracts/src/risk.ts already exists. Choose another name.'],
    [
      'workflow',
      'Cannot create service "workflow": StackNames (infra/src/config.ts) already has Workflow. Choose another name.',
    ],
  ])('fails when the name exists: %s', async (name, message) => {
    // Arrange
    const tree = seededTree();
    tree.write(
      'libs/contracts/src/risk.ts',
      readFileSync(path.join(WORKSPACE_ROOT, 'libs/contracts/src/risk.ts')),
    );
    const before = changedFiles(tree);

    // Act
    const failure = quietly(() => serviceGenerator(tree, { name }));

    // Assert
    await expect(failure).rejects.toThrow(message);
    expect(changedFiles(tree)).toStrictEqual(before);
  });

  it('fails when a file it registers the service in no longer has the expected shape', async () => {
    // Arrange
    const tree = seededTree();
    tree.write(RegistrationFiles.stackRegistry, 'export const services = [];\n');

    // Act
    const failure = serviceGenerator(tree, { name: 'ship-order' });

    // Assert
    await expect(failure).rejects.toThrow(
      'Cannot register the service: infra/src/stacks/task-service-registry.ts no longer declares `const registeredTaskServices = { ... }` or `[ ... ]`.',
    );
  });
});
