import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from '../context';
import { listenFailure } from '../listenFailure';
import { intArg } from '../options';
import { SHUTDOWN_GRACE_MS } from '../shutdown';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the vmscope UI and API to a browser on this machine')
    .addOption(
      new Option('--port <port>', 'port to listen on (default: a free one)').argParser(
        intArg(0, 65535),
      ),
    )
    .option(
      '--host <address>',
      'address to bind; anything but loopback exposes your memory maps',
      '127.0.0.1',
    )
    .option(
      '--open <files...>',
      'snapshot files (vmscope-snapshot JSON), Windows minidumps or Linux core files to show when the page opens',
    )
    .action(async (opts: { port?: number; host: string; open?: string[] }) => {
      // The host's modules (ws, the worker host) load only when it serves.
      const [{ readSnapshotFile }, { createWorkerServiceHost }, { isLoopback, startHost }] =
        await Promise.all([
          import('../../core/io/readSnapshotFile'),
          import('../../core/worker/workerServiceHost'),
          import('../../host/server'),
        ]);
      const openFiles = (opts.open ?? []).map((f) => resolve(f));
      // Refuse a bad file now, with its reason, rather than after the browser opens.
      for (const file of openFiles) await readSnapshotFile(file);
      if (!isLoopback(opts.host)) {
        console.error(
          `vmscope: warning: binding ${opts.host} lets other machines reach this host; anyone with the token can read process memory maps.`,
        );
      }
      const service = createWorkerServiceHost(ctx.selfFile, { openFiles });
      let host;
      try {
        host = await startHost({
          service,
          staticRoot: ctx.webRoot,
          address: opts.host,
          port: opts.port,
        });
      } catch (err) {
        // Nothing may keep the process alive after a failed listen: the workers go too.
        await service.close();
        throw listenFailure(err as NodeJS.ErrnoException, opts.host, opts.port);
      }
      ctx.out(`vmscope is serving at ${host.url}`);
      const running = host;
      const stop = (): void => {
        setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
        void running
          .close()
          .then(() => service.close())
          .finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
