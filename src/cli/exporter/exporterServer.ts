/**
 * GET /metrics over HTTP: OpenMetrics when the scraper asks for it (Prometheus does), otherwise
 * the Prometheus text format 0.0.4. Nothing but GET and HEAD of `/` and `/metrics` is served, no
 * request body is read, and a scrape only formats state already in memory.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry, RegistryContentType } from 'prom-client';
import { listenFailure } from '../listenFailure';
import { type ViewHolder, createRegistry } from './metrics';
import type { ListenAddress } from './listenAddress';
import { type ExporterState, buildScrapeView } from './scrapeView';

export interface RunningExporter {
  /** The address actually bound (the port is real even when 0 was asked for). */
  url: string;
  close(): Promise<void>;
}

/** Whether an Accept header asks for OpenMetrics (any version, any q above 0). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part
      .trim()
      .split(';')
      .map((s) => s.trim());
    if (type !== 'application/openmetrics-text') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const LANDING =
  '<!doctype html><title>vmscope exporter</title><h1>vmscope exporter</h1><p><a href="/metrics">Metrics</a></p>\n';

export type ScrapeRenderer = (openMetrics: boolean) => Promise<{ body: string; type: string }>;

/** Renders scrapes of `state` in either format (one prom-client registry each). */
export async function createScrapeRenderer(
  state: ExporterState,
  source: string,
): Promise<ScrapeRenderer> {
  const holder: ViewHolder = { current: null, source };
  const prom = await import('prom-client');
  const registries: Record<'open' | 'text', Registry<RegistryContentType>> = {
    open: createRegistry(prom, prom.Registry.OPENMETRICS_CONTENT_TYPE, holder),
    text: createRegistry(prom, prom.Registry.PROMETHEUS_CONTENT_TYPE, holder),
  };
  return async (openMetrics) => {
    const registry = openMetrics ? registries.open : registries.text;
    holder.current = buildScrapeView(state);
    // Every metric collects synchronously inside metrics(), before its first await.
    const pending = registry.metrics();
    holder.current = null;
    return { body: await pending, type: registry.contentType };
  };
}

export async function startExporterServer(
  listen: ListenAddress,
  state: ExporterState,
  source: string,
): Promise<RunningExporter> {
  const render = await createScrapeRenderer(state, source);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
        .end('Only GET and HEAD.\n');
      return;
    }
    if (path === '/') {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(req.method === 'HEAD' ? undefined : LANDING);
      return;
    }
    if (path !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found: the metrics are at /metrics.\n');
      return;
    }
    const { body, type } = await render(wantsOpenMetrics(req.headers.accept));
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    // A request is never allowed to end the exporter: a failure answers 500 and is forgotten.
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`The scrape failed: ${err instanceof Error ? err.message : String(err)}\n`);
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  // Slow or idle clients cannot hold sockets for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 64;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void =>
      reject(listenFailure(err, listen.host, listen.port));
    server.once('error', onError);
    server.listen(listen.port, listen.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
