/**
 * The `vmscope` command. One bundle: on the main thread it is the CLI; started as a worker
 * thread (by `serve`), it is the service that does the heavy work.
 */
import { Command, CommanderError } from 'commander';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { createLocalServiceHost } from '../core/serviceHost';
import { runServiceWorker } from '../core/worker/serviceWorker';
import { createClient } from '../shared/bridge';
import { VmscopeError } from '../shared/errors';
import { VMSCOPE_VERSION } from '../shared/version';
import { registerDiff } from './commands/diff';
import { registerExporter } from './commands/exporter';
import { registerMachine } from './commands/machine';
import { registerPs } from './commands/ps';
import { registerRead } from './commands/read';
import { registerSandbox } from './commands/sandbox';
import { registerSearch } from './commands/search';
import { registerServe } from './commands/serve';
import { registerSnapshot } from './commands/snapshot';
import { registerStrings } from './commands/strings';
import { registerWatch } from './commands/watch';
import type { CliContext } from './context';
import { exitQuietlyOnClosedPipe, installShutdown } from './shutdown';

const selfFile = fileURLToPath(import.meta.url);

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('vmscope')
    .description(
      'Inspect how processes use virtual memory (Linux /proc, Windows, or a simulated Windows machine).',
    )
    .version(VMSCOPE_VERSION)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerDiff(program, ctx);
  registerExporter(program, ctx);
  registerMachine(program, ctx);
  registerPs(program, ctx);
  registerRead(program, ctx);
  registerSandbox(program, ctx);
  registerSearch(program, ctx);
  registerServe(program, ctx);
  registerSnapshot(program, ctx);
  registerStrings(program, ctx);
  registerWatch(program, ctx);
  for (const command of program.commands) command.exitOverride();
  return program;
}

async function main(): Promise<void> {
  installShutdown();
  exitQuietlyOnClosedPipe();
  const host = createLocalServiceHost();
  const ctx: CliContext = {
    client: createClient(host),
    selfFile,
    webRoot: join(dirname(selfFile), '../web'),
    out: (text) => process.stdout.write(`${text}\n`),
  };
  try {
    await buildProgram(ctx).parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every usage error exits 2 (commander already printed the reason).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    const message =
      err instanceof VmscopeError ? err.message : String((err as Error)?.message ?? err);
    process.stderr.write(`vmscope: ${message}\n`);
    process.exitCode = err instanceof VmscopeError && err.code === 'invalid-input' ? 2 : 1;
  } finally {
    await host.close();
  }
}

if (isMainThread) void main();
else runServiceWorker();
