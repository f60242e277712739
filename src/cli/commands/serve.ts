import { Option, type Command } from 'commander';
import { createWorkerServiceHost } from '../../core/worker/workerServiceHost';
import { isLoopback, startHost } from '../../host/server';
import type { CliContext } from '../context';
import { intArg } from '../options';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the vmscope UI and API to a browser on this machine')
    .addOption(new Option('--port <port>', 'port to listen on (default: a free one)').argParser(intArg(0, 65535)))
    .option('--host <address>', 'address to bind; anything but loopback exposes your memory maps', '127.0.0.1')
    .action(async (opts: { port?: number; host: string }) => {
      if (!isLoopback(opts.host)) {
        console.error(
          `vmscope: warning: binding ${opts.host} lets other machines reach this host; anyone with the token can read process memory maps.`,
        );
      }
      const service = createWorkerServiceHost(ctx.selfFile);
      // Start the worker now, not on the first click: its start-up would otherwise count against the first snapshot.
      void service.call('system.info', {});
      const host = await startHost({ service, staticRoot: ctx.webRoot, address: opts.host, port: opts.port });
      ctx.out(`vmscope is serving at ${host.url}`);
      const stop = (): void => {
        void host
          .close()
          .then(() => service.close())
          .finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
