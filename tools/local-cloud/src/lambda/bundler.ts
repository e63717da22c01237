import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

/** The esbuild options CDK's NodejsFunction uses for a Node 22 function (bundling everything, SDK included). */
export const LAMBDA_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  sourcesContent: false,
  keepNames: true,
  logLevel: 'silent',
  // Node's own modules only: the AWS SDK is bundled too, so the worker never depends on the cwd.
  external: [],
};

/** A bundle on disk. */
export interface Bundle {
  /** Absolute path of the CJS bundle (a `.map` file sits beside it). */
  file: string;
  /** True when a previous bundle was reused (no input changed). */
  cached: boolean;
}

interface BundleMeta {
  optionsHash: string;
  file: string;
  /** Input path → `size:mtimeMs`. */
  inputs: Record<string, string>;
}

const sha = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

const fingerprint = async (path: string): Promise<string | undefined> => {
  try {
    const info = await stat(path);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return undefined;
  }
};

/**
 * Bundles handler entries with esbuild as CDK would, into `bundlesDir`, cached: a bundle is rebuilt only when one
 * of its inputs (from the previous build's metafile) changed size or mtime. Bundle files are named by content hash.
 */
export class Bundler {
  private readonly inFlight = new Map<string, Promise<Bundle>>();

  constructor(
    readonly repoRoot: string,
    readonly bundlesDir: string,
    readonly extraOptions: BuildOptions = {},
  ) {}

  /** The bundle of `entry` (repository-relative or absolute). Concurrent calls for one entry share one build. */
  bundle(entry: string): Promise<Bundle> {
    let pending = this.inFlight.get(entry);
    if (pending === undefined) {
      pending = this.bundleNow(entry).finally(() => this.inFlight.delete(entry));
      this.inFlight.set(entry, pending);
    }
    return pending;
  }

  private async bundleNow(entry: string): Promise<Bundle> {
    await mkdir(this.bundlesDir, { recursive: true });
    const optionsHash = sha(JSON.stringify({ entry, LAMBDA_BUILD_OPTIONS, extra: this.extraOptions }));
    const metaFile = join(this.bundlesDir, `${sha(entry).slice(0, 16)}.meta.json`);
    const previous = await this.readMeta(metaFile);
    if (previous !== undefined && previous.optionsHash === optionsHash && existsSync(previous.file)) {
      const checks = await Promise.all(
        Object.entries(previous.inputs).map(async ([path, print]) => (await fingerprint(path)) === print),
      );
      if (checks.every(Boolean)) return { file: previous.file, cached: true };
    }
    const result = await build({
      ...LAMBDA_BUILD_OPTIONS,
      ...this.extraOptions,
      entryPoints: [entry],
      absWorkingDir: this.repoRoot,
      outfile: join(this.bundlesDir, 'out.js'),
      write: false,
      metafile: true,
    });
    const code = result.outputFiles.find((file) => file.path.endsWith('.js'));
    const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
    if (code === undefined) throw new Error(`esbuild produced no bundle for ${entry}`);
    const name = `${sha(Buffer.from(code.contents)).slice(0, 20)}`;
    const file = join(this.bundlesDir, `${name}.js`);
    const text = code.text.replace(
      /\/\/# sourceMappingURL=out\.js\.map\s*$/,
      `//# sourceMappingURL=${name}.js.map\n`,
    );
    await writeFile(`${file}.tmp`, text);
    await rename(`${file}.tmp`, file);
    if (map !== undefined) await writeFile(`${file}.map`, map.contents);
    const inputs: Record<string, string> = {};
    await Promise.all(
      Object.keys(result.metafile.inputs).map(async (input) => {
        const path = isAbsolute(input) ? input : join(this.repoRoot, input);
        const print = await fingerprint(path);
        if (print !== undefined) inputs[path] = print;
      }),
    );
    await writeFile(metaFile, JSON.stringify({ optionsHash, file, inputs } satisfies BundleMeta));
    return { file, cached: false };
  }

  private async readMeta(metaFile: string): Promise<BundleMeta | undefined> {
    try {
      return JSON.parse(await readFile(metaFile, 'utf8')) as BundleMeta;
    } catch {
      return undefined;
    }
  }
}
