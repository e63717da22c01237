#!/usr/bin/env node
// Runs the unit and end-to-end suites (`nx run-many -t test e2e`) under other Node.js majors than the one installed,
// so the code is checked on the versions it must support (Lambda runs nodejs22.x; developers use 20, 22 and 24).
// Each Node.js binary is fetched from the npm registry (the official `node-<platform>-<arch>` packages, the only
// registry this project can count on), unpacked under tmp/node-versions/ and reused on later runs. Usage:
//   npm run test:node-versions                # Node.js 22 and 24
//   npm run test:node-versions -- 24          # one major
//   npm run test:node-versions -- 22 -p asl-engine local-cloud   # extra arguments go to `nx run-many`
// The Nx cache is skipped: its task hashes do not include the Node.js version, so a result cached under another
// version would be replayed instead of run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const majors = args.filter((arg) => /^\d+$/.test(arg));
const nxArgs = args.filter((arg) => !/^\d+$/.test(arg));
const platformPackage = `node-${process.platform}-${process.arch}`;
const cacheDir = path.join(root, 'tmp', 'node-versions');

/** Unpacks `node-<platform>-<arch>@<major>` (its newest release) and returns its bin folder. */
const nodeBin = (major) => {
  const version = execFileSync('npm', ['view', `${platformPackage}@${major}`, 'version', '--json'], {
    encoding: 'utf8',
  });
  const versions = [].concat(JSON.parse(version));
  const newest = versions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
  if (newest === undefined) throw new Error(`${platformPackage} has no release for Node.js ${major}`);
  const dir = path.join(cacheDir, `${platformPackage}-${newest}`);
  const bin = path.join(dir, 'package', 'bin');
  if (!existsSync(path.join(bin, 'node'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['pack', `${platformPackage}@${newest}`, '--pack-destination', dir], {
      stdio: 'ignore',
    });
    const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${platformPackage}@${newest} wrote no tarball`);
    execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir]);
  }
  return bin;
};

let failed = 0;
for (const major of majors.length > 0 ? majors : ['22', '24']) {
  const bin = nodeBin(major);
  const env = {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    NX_DAEMON: 'false',
  };
  const nodeVersion = execFileSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  console.log(`\n=== Node.js ${nodeVersion}: nx run-many -t test e2e ${nxArgs.join(' ')}`);
  const nx = path.join(root, 'node_modules', '.bin', 'nx');
  const result = spawnSync(
    path.join(bin, 'node'),
    [
      nx,
      'run-many',
      '-t',
      'test',
      'e2e',
      '--skip-nx-cache',
      '--output-style=stream-without-prefixes',
      ...nxArgs,
    ],
    { cwd: root, env, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    failed += 1;
    console.error(`=== Node.js ${nodeVersion}: FAILED (exit ${result.status ?? result.signal})`);
  } else {
    console.log(`=== Node.js ${nodeVersion}: passed`);
  }
}
process.exit(failed === 0 ? 0 : 1);
