import { InvalidArgumentError, Option, type Command } from 'commander';
import { createWorkerServiceHost } from '../../core/worker/workerServiceHost';
import { createClient } from '../../shared/bridge';
import type { SourceId } from '../../shared/model';
import type { CliContext } from '../context';
import { DEFAULT_LISTEN, type ListenAddress, parseListenAddress } from '../exporter/listenAddress';
import { ProcessTracker } from '../exporter/processTracker';
import { RegionPoller } from '../exporter/regionTotals';
import { DEFAULT_TOP, MAX_EXPORTED_PROCESSES, selectProcesses } from '../exporter/selection';
import { startExporterServer } from '../exporter/exporterServer';
import { isLoopback } from '../../host/server';
import { intArg, sourceOption } from '../options';

interface ExporterOptions {
  listen: ListenAddress;
  match: RegExp[];
  pid: number[];
  top: number;
  interval: number;
  regions: boolean;
  source?: SourceId;
}

const collect =
  <T>(parse: (value: string) => T) =>
  (value: string, previous: T[] = []): T[] => [...previous, parse(value)];

function regexArg(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (err) {
    throw new InvalidArgumentError(`not a valid regular expression: ${(err as Error).message}.`);
  }
}

function listenArg(value: string): ListenAddress {
  try {
    return parseListenAddress(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function registerExporter(program: Command, ctx: CliContext): void {
  program
    .command('exporter')
    .description(
      'serve process memory metrics to Prometheus (GET /metrics, OpenMetrics or text 0.0.4)',
    )
    .addOption(
      new Option(
        '--listen <host:port>',
        'address to serve on; anything but loopback exposes your processes',
      )
        .argParser(listenArg)
        .default(parseListenAddress(DEFAULT_LISTEN), DEFAULT_LISTEN),
    )
    .addOption(
      new Option(
        '--match <regex>',
        'report processes whose name or command line matches (repeatable)',
      ).argParser(collect(regexArg)),
    )
    .addOption(
      new Option('--pid <pid>', 'report this process (repeatable)').argParser(
        collect(intArg(1, 2 ** 31 - 1)),
      ),
    )
    .addOption(
      new Option(
        '--top <n>',
        `report at most this many matching processes, largest working set first (hard cap ${MAX_EXPORTED_PROCESSES})`,
      )
        .argParser(intArg(1, MAX_EXPORTED_PROCESSES))
        .default(DEFAULT_TOP),
    )
    .addOption(
      new Option('--interval <ms>', 'milliseconds between samples of each process (100 to 60000)')
        .argParser(intArg(100, 60_000))
        .default(5000),
    )
    .option(
      '--regions',
      'also report bytes by region kind and state (costs a snapshot per process per interval)',
      false,
    )
    .addOption(sourceOption())
    .action((opts: ExporterOptions) =>
      runExporter(ctx, { ...opts, match: opts.match ?? [], pid: opts.pid ?? [] }),
    );
}

async function runExporter(ctx: CliContext, opts: ExporterOptions): Promise<void> {
  if (!isLoopback(opts.listen.host)) {
    process.stderr.write(
      `vmscope: warning: listening on ${opts.listen.host} lets other machines read your processes' memory figures.\n`,
    );
  }
  const service = createWorkerServiceHost(ctx.selfFile);
  const client = createClient(service);
  const tracker = new ProcessTracker(client, { source: opts.source, intervalMs: opts.interval });
  const regions = opts.regions
    ? new RegionPoller(client, {
        source: opts.source,
        intervalMs: opts.interval,
        deadlineMs: Math.max(10_000, opts.interval),
      })
    : null;
  let dropped = 0;
  let selecting = false;
  // New processes that match are picked up at most this long after they start.
  const selectEveryMs = Math.max(5000, opts.interval);
  const select = async (): Promise<void> => {
    if (selecting) return;
    selecting = true;
    try {
      const listed = await client.call('processes.list', { source: opts.source });
      const selection = selectProcesses(listed, {
        match: opts.match,
        pids: opts.pid,
        top: opts.top,
      });
      dropped = selection.dropped;
      await tracker.reconcile(selection.selected);
      regions?.setProcesses(selection.selected.map((p) => p.pid));
    } catch (err) {
      process.stderr.write(
        `vmscope: exporter: could not list processes: ${(err as Error).message}\n`,
      );
    } finally {
      selecting = false;
    }
  };
  let server;
  try {
    await select();
    server = await startExporterServer(
      opts.listen,
      { tracker, regions, dropped: () => dropped },
      opts.source ?? (await client.call('system.info', {})).defaultSource,
    );
  } catch (err) {
    tracker.close();
    await service.close();
    throw err;
  }
  regions?.start();
  const timer = setInterval(() => void select(), selectEveryMs);
  ctx.out(`vmscope exporter is serving at ${server.url}`);
  const running = server;
  const stop = (): void => {
    clearInterval(timer);
    regions?.stop();
    tracker.close();
    void running
      .close()
      .then(() => service.close())
      .finally(() => process.exit(0));
    // Whatever still holds the loop, Ctrl-C ends the exporter within a second.
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
