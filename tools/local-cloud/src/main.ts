import * as nodeModule from 'node:module';
import path from 'node:path';

// The SDK's Node-version notice is not actionable for a local tool (Node 20 is supported here).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
import { intFlag, parseCommandLine, USAGE } from './cli/args';
import type { CliClients } from './cli/clients';
import { findRepoRoot } from './cli/repo-root';
import { bundledRunnerFile, startSynth } from './loader/early-synth';
import { DEFAULT_APP_ENTRY } from './loader/synth';

// Each command loads only its own modules (dynamic imports: esbuild initialises them on first use), so `serve`
// does not load the CLI's SDK clients and a CLI command does not load the engine, dynalite or esbuild.

/**
 * Node ≥ 22.1 can keep the compiled code of every module it loads: with it in the data folder, a restart of the
 * server compiles nothing. No-op on older Node versions (the API does not exist there) or when the folder fails.
 */
const enableCompileCache = (dataDir: string): void => {
  const { enableCompileCache: enable } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
  try {
    enable?.(path.join(dataDir, 'cache', 'node-compile'));
  } catch {
    // Only a cache.
  }
};

/** The `local-cloud` command: `serve` (default, what `npm start` runs) and the everyday subcommands. */
const main = async (argv: readonly string[]): Promise<void> => {
  const { command, positionals, flags } = parseCommandLine(argv);
  const str = (name: string): string | undefined => {
    const value = flags[name];
    return typeof value === 'string' ? value : undefined;
  };
  if (flags['help'] === true) {
    console.log(USAGE);
    return;
  }
  const repoRoot = findRepoRoot();
  const dataDir = path.resolve(str('data-dir') ?? path.join(repoRoot, '.local-cloud'));
  const clients = async (): Promise<CliClients> => {
    const { createClients, resolveEndpoint } = await import('./cli/clients');
    return createClients(resolveEndpoint(str('endpoint')));
  };
  const required = (index: number, what: string): string => {
    const value = positionals[index];
    if (value === undefined) throw new Error(`${command}: missing ${what}.\n${USAGE}`);
    return value;
  };
  switch (command) {
    case 'serve': {
      enableCompileCache(dataDir);
      // The CDK synth (when the cached one is stale) runs in its own process while the server loads and starts.
      const synth = startSynth(
        { repoRoot, appEntry: DEFAULT_APP_ENTRY, outDir: path.join(dataDir, 'cdk.out') },
        bundledRunnerFile(process.argv[1]),
      );
      const { serve } = await import('./cli/serve');
      await serve({
        port: intFlag(flags['port'], 'port', 4566),
        dataDir,
        reset: flags['reset'] === true,
        demo: flags['demo'] === true,
        timing: flags['timing'] === true,
        repoRoot,
        ...(synth === undefined ? {} : { synth }),
      });
      return;
    }
    case 'publish': {
      const { publish } = await import('./cli/publish');
      console.log(await publish(await clients(), required(0, 'the events file')));
      return;
    }
    case 'executions': {
      const { listExecutions } = await import('./cli/executions');
      console.log(await listExecutions(await clients(), str('status')));
      return;
    }
    case 'execution': {
      const { showExecution } = await import('./cli/executions');
      console.log(await showExecution(await clients(), required(0, 'an execution ARN or name')));
      return;
    }
    case 'send-success': {
      const { sendSuccess } = await import('./cli/tasks');
      console.log(await sendSuccess(await clients(), required(0, 'the task token'), str('output')));
      return;
    }
    case 'send-failure': {
      const { sendFailure } = await import('./cli/tasks');
      console.log(
        await sendFailure(await clients(), required(0, 'the task token'), str('error'), str('cause')),
      );
      return;
    }
    case 'redrive': {
      const { redrive } = await import('./cli/executions');
      console.log(await redrive(await clients(), required(0, 'an execution ARN or name')));
      return;
    }
    case 'logs': {
      const [{ logs }, { resolveEndpoint }] = await Promise.all([
        import('./cli/logs'),
        import('./cli/clients'),
      ]);
      let stopped = false;
      process.on('SIGINT', () => {
        stopped = true;
        process.exit(0);
      });
      await logs(
        resolveEndpoint(str('endpoint')),
        {
          ...(str('function') === undefined ? {} : { functionName: str('function') ?? '' }),
          ...(str('execution') === undefined ? {} : { executionArn: str('execution') ?? '' }),
          lines: intFlag(flags['lines'], 'lines', 100),
          follow: flags['follow'] === true,
        },
        (line) => console.log(line),
        () => stopped,
      );
      return;
    }
    case 'token': {
      const { issueToken } = await import('./cli/identity');
      console.log(await issueToken(dataDir, str('user') ?? '', intFlag(flags['ttl'], 'ttl', 3600)));
      return;
    }
    case 'test-state': {
      const { testState } = await import('./cli/test-state');
      const options = {
        file: positionals[0],
        stateMachine: str('state-machine'),
        stateName: str('state-name'),
        input: str('input'),
        inspectionLevel: str('inspection-level'),
        mock: str('mock'),
        variables: str('variables'),
        context: str('context'),
        roleArn: str('role-arn'),
      };
      const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
      console.log(await testState(await clients(), defined));
      return;
    }
    default:
      throw new Error(`Unknown command '${command}'.\n${USAGE}`);
  }
};

main(process.argv.slice(2)).catch(async (error: unknown) => {
  const { hintFor } = await import('./cli/hints');
  const hint = hintFor(error);
  if (hint !== undefined) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${hint}`);
    process.exit(1);
  }
  const e = error as { name?: string; message?: string; stack?: string; $metadata?: unknown };
  // AWS errors and the CLI's own messages are for the user; anything else is a bug: show where it happened.
  const expected = e.$metadata !== undefined || (error instanceof Error && error.constructor === Error);
  if (!expected && e.stack !== undefined) console.error(e.stack);
  else
    console.error(
      e.name !== undefined && e.name !== 'Error'
        ? `${e.name}: ${e.message ?? ''}`
        : (e.message ?? String(error)),
    );
  process.exit(1);
});
