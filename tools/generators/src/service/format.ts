import { type Tree, readJson } from '@nx/devkit';
import * as prettier from 'prettier';

const FORMATTED = /\.(ts|json|md)$/;

/** The pending changes of a tree, by path (content `null` for a deletion). */
export const pendingChanges = (tree: Tree): ReadonlyMap<string, Buffer | null> =>
  new Map(
    tree.listChanges().map((change) => [change.path, change.type === 'DELETE' ? null : change.content]),
  );

/**
 * Formats every file created or changed since `before` (the tree's {@link pendingChanges} when the generator started)
 * with the workspace's Prettier settings (`.prettierrc.json`), so the output is what `npm run format` would leave,
 * and the same under test, where the tree is virtual.
 */
export const formatChangedFiles = async (
  tree: Tree,
  before: ReadonlyMap<string, Buffer | null>,
): Promise<void> => {
  const config = tree.exists('.prettierrc.json') ? readJson<prettier.Options>(tree, '.prettierrc.json') : {};
  for (const change of tree.listChanges()) {
    if (change.type === 'DELETE' || !FORMATTED.test(change.path)) continue;
    const earlier = before.get(change.path);
    if (earlier != null && change.content !== null && earlier.equals(change.content)) continue;
    const text = tree.read(change.path, 'utf-8') ?? '';
    const formatted = await prettier.format(text, { ...config, filepath: change.path });
    if (formatted !== text) tree.write(change.path, formatted);
  }
};
