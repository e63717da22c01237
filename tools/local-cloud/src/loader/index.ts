import { join } from 'node:path';
import { readCloudAssembly } from './assembly';
import { buildPicture, type PictureOptions } from './picture';
import { synthesize, type SynthResult } from './synth';
import { type LocalPicture } from './types';
import { type StartupTiming } from '../startup/timing';

export * from './types';
export {
  AssemblyResolver,
  TemplateResolutionError,
  deterministicUuid,
  type ResolverOptions,
} from './intrinsics';
export { buildPicture, type PictureOptions } from './picture';
export { bundledRunnerFile, startSynth, type StartedSynth } from './early-synth';
export { readCloudAssembly } from './assembly';
export {
  DEFAULT_APP_ENTRY,
  isSynthFresh,
  LOCAL_SYNTH_CONTEXT,
  synthesize,
  SynthError,
  type SynthOptions,
  type SynthResult,
} from './synth';

/** Options of {@link loadPicture}. */
export interface LoadPictureOptions extends PictureOptions {
  repoRoot: string;
  appEntry: string;
  dataDir: string;
  forceSynth?: boolean;
  log?: (line: string) => void;
  /** Startup phase timings. */
  timing?: StartupTiming;
  /** A synth already under way into `<dataDir>/cdk.out` ({@link startSynth}): awaited instead of synthesizing. */
  synth?: Promise<SynthResult>;
}

/** Synthesizes the CDK app (cached) and builds its local picture. */
export const loadPicture = async (
  options: LoadPictureOptions,
): Promise<{ picture: LocalPicture; synth: SynthResult }> => {
  const synth = await (options.synth ??
    synthesize({
      repoRoot: options.repoRoot,
      appEntry: options.appEntry,
      outDir: join(options.dataDir, 'cdk.out'),
      ...(options.forceSynth === undefined ? {} : { force: options.forceSynth }),
      ...(options.log === undefined ? {} : { log: options.log }),
    }));
  options.timing?.mark(synth.cached ? 'synth (cached)' : 'synth');
  const stacks = await readCloudAssembly(synth.outDir);
  options.timing?.mark('read cloud assembly');
  const picture = buildPicture(stacks, options);
  options.timing?.mark('build picture');
  return { picture, synth };
};
