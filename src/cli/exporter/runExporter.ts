import { createWorkerServiceHost } from '../../core/worker/workerServiceHost';
import { isLoopback } from '../../host/server';
import { createClient } from '../../shared/bridge';
import type { SourceId } from '../../shared/model';
import type { CliContext } from '../context';
import { startExporterServer } from './exporterServer';
import type { ListenAddress } from './listenAddress';
import { ProcessTracker } from './processTracker';
import { RegionPoller } from './regionTotals';
import { selectProcesses } from './selection';

export interface ExporterOptions {
  listen: ListenAddress;
  match: RegExp[];
  pid: number[];
  top: number;
  interval: number;
  regions: boolean;
  source?: SourceId;
}

/** `vmscope exporter`: tracks the selected processes and serves their metrics until Ctrl-C. */
export async function runExporter(ctx: CliContext, opts: ExporterOptions): Promise<void> {
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
