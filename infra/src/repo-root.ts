import * as path from 'node:path';

/** The repository root (infra/src/.. /..): handler entries and the lock file are resolved against it. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
