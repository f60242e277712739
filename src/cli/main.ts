/**
 * The `vmscope` command. One bundle: on the main thread it is the CLI; started as a worker
 * thread (by `serve`), it is the service that does the heavy work.
 *
 * Start-up loads only commander and the commands' declarations: the service (every source, the
 * simulator, the contract's zod schemas) and each command's own modules are imported on first
 * use, so `vmscope --version` or `--help` costs little more than Node's own start.
 */
import { Command, CommanderError } from 'commander';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { ServiceHost } from '../core/serviceHost';
import type { Bridge, Client } from '../shared/bridge';
import { VmscopeError } from '../shared/errors';
import { VMSCOPE_VERSION } from '../shared/version';
import { registerDiff } from './commands/diff';
import { registerExporter } from './commands/exporter';
import { registerMachine } from './commands/machine';
import { registerPs } from './commands/ps';
import { registerDump } from './commands/dump';
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
  registerDump(program);
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

/**
 * The in-process service, created on the first call: commands that need none never load it. Its
 * results stay in this thread, so they are not encoded for a wire (lazyClient takes them so).
 */
function lazyServiceHost(openFiles: readonly string[]): {
  bridge: Bridge;
  close(): Promise<void>;
} {
  let host: Promise<ServiceHost> | undefined;
  const load = (): Promise<ServiceHost> =>
    (host ??= Promise.all([import('../core/serviceHost'), import('../core/service')]).then(
      ([h, s]) =>
        h.createLocalServiceHost(s.createService(undefined, undefined, { openFiles }), {
          wire: false,
        }),
    ));
  return {
    bridge: {
      call: async (method, input) => (await load()).call(method, input),
      subscribe: async (topic, input, listener) => (await load()).subscribe(topic, input, listener),
      unsubscribe: async (id) => (await load()).unsubscribe(id),
    },
    close: async () => (host ? (await host).close() : undefined),
  };
}

/**
 * The typed client of lazyServiceHost's bridge (whose results are not encoded), made on the first
 * call: the contract brings zod, which costs more than node's own start. `--version` and `--help`
 * never call.
 */
function lazyClient(bridge: Bridge): Client {
  let client: Promise<Client> | undefined;
  const load = (): Promise<Client> =>
    (client ??= import('../shared/bridge').then((b) => b.createClient(bridge, { wire: false })));
  return {
    call: async (method, input) => (await load()).call(method, input),
    subscribe: async (topic, input, listener) => (await load()).subscribe(topic, input, listener),
  };
}

async function main(): Promise<void> {
  installShutdown();
  exitQuietlyOnClosedPipe();
  const openFiles: string[] = [];
  const host = lazyServiceHost(openFiles);
  const ctx: CliContext = {
    client: lazyClient(host.bridge),
    openFiles,
    selfFile,
    webRoot: join(dirname(selfFile), '../web'),
    out: (text) => process.stdout.write(`${text}\n`),
    write: (data) =>
      new Promise((resolve, reject) =>
        process.stdout.write(data, (err) => (err ? reject(err) : resolve())),
      ),
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
else void import('../core/worker/serviceWorker').then((m) => m.runServiceWorker());
