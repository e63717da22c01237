import { existsSync } from 'node:fs';
import path from 'node:path';

/** The workspace root: the nearest folder above `from` holding `nx.json` (the CDK app and samples live there). */
export const findRepoRoot = (from: string = process.cwd()): string => {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`No nx.json found above ${from}: run the local cloud from the repository.`);
    dir = parent;
  }
};
