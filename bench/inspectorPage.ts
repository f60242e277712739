/**
 * The inspector in real Chromium, for the benches that time it (inspector, scale, memory): the
 * browser, the paint time the page reports, the trace of where that time went (the marks of
 * src/renderer/src/paintTrace.ts) and the time a table change takes.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { encodeStreamFrame } from '../src/shared/hostWire';
import { statsOf } from './harness';

export { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../e2e/chromium';

export async function firstLineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  throw new Error(`process ${child.pid} ended before printing ${pattern}`);
}

/** The ms from asking for the snapshot to its first full frame, as the status line reports it. */
export async function paintOf(page: Page): Promise<number> {
  const text = await page
    .getByTestId('paint-ms')
    .filter({ hasText: 'shown' })
    .textContent({ timeout: 300_000 });
  return Number(/shown (\d+) ms/.exec(text ?? '')?.[1]);
}

/**
 * The ms from asking for the snapshot to the frame that shows it whole (the inspector streams it:
 * paintOf is its first part's frame), from the page's `complete` mark.
 */
export async function wholeOf(page: Page): Promise<number> {
  await page.waitForFunction(
    () => performance.getEntriesByName('vmscope:complete').length > 0,
    null,
    { timeout: 300_000 },
  );
  return page.evaluate(
    () =>
      performance.getEntriesByName('vmscope:complete')[0]!.startTime -
      performance.getEntriesByName('vmscope:asked')[0]!.startTime,
  );
}

/**
 * The steps of the trace, in the order they happen: the inspector's stream (firstChunk, the
 * first part's decode to its frame `shown`, lastChunk, the whole one's frame `complete`), or a
 * process.snapshot call (headers, transfer) where a bench answers one.
 */
export const TRACE_STEPS = [
  'firstChunk',
  'headers',
  'transfer',
  'decoded',
  'allocations',
  'map',
  'committed',
  'shown',
  'lastChunk',
  'complete',
  'summary',
  'index',
] as const;
export type Trace = Partial<Record<(typeof TRACE_STEPS)[number], number>>;

/** Each step's ms after asking, once the page has built its search index (the trace's last step). */
export async function traceOf(page: Page): Promise<Trace> {
  await page.waitForFunction(() => performance.getEntriesByName('vmscope:index').length > 0, null, {
    timeout: 300_000,
  });
  return page.evaluate(() => {
    const asked = performance.getEntriesByName('vmscope:asked')[0]?.startTime ?? 0;
    const trace: Record<string, number> = {};
    for (const m of performance.getEntriesByType('mark'))
      if (m.name.startsWith('vmscope:') && !(m.name.slice(8) in trace))
        trace[m.name.slice(8)] = m.startTime - asked;
    return trace;
  });
}

/** The median trace of several runs, as lines to print: each step's time and what it added. */
export function describeTraces(traces: Trace[]): string[] {
  const lines: string[] = [];
  let before = 0;
  for (const step of TRACE_STEPS) {
    const values = traces.map((t) => t[step]).filter((v): v is number => v !== undefined);
    if (values.length === 0) continue;
    const at = statsOf(values).median;
    lines.push(
      `    ${step.padEnd(12)} ${at.toFixed(0).padStart(6)} ms  (+${(at - before).toFixed(0)})`,
    );
    before = at;
  }
  return lines;
}

/** ms from setting the search box (or clicking a header or a row) to the frame after the table changed. */
export async function timeTableChange(
  page: Page,
  action: { search?: string; header?: string; row?: number },
): Promise<number> {
  return page.evaluate(async (action) => {
    const target = document.querySelector('[data-testid="row-count"]')!.parentElement!
      .parentElement!;
    const changed = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(target, { childList: true, subtree: true, characterData: true });
    });
    const start = performance.now();
    if (action.search !== undefined) {
      const input = document.querySelector(
        'input[aria-label="Search regions"]',
      ) as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(
        input,
        action.search,
      );
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else if (action.row !== undefined) {
      (document.querySelector(`.rt-row[data-row="${action.row}"]`) as HTMLElement).click();
    } else {
      const header = [...document.querySelectorAll('.rt-head button')].find((b) =>
        b.textContent?.startsWith(action.header!),
      );
      (header as HTMLButtonElement).click();
    }
    await changed;
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - start;
  }, action);
}

/**
 * A loopback server in front of `vmscope serve` (at `serveUrl`, the tokenized URL it printed)
 * that answers process.snapshot, and the inspector's process.snapshotStream (one whole event on
 * its WebSocket), with `snapshot()` (an encoded snapshot) and passes every other request on with
 * the token. So the real page draws a snapshot no source could take (a simulated
 * process of 1,000,000 regions), through Chromium's own network stack, as the host would send it.
 * Resolves to the URL to open and a function that closes the server.
 */
export async function snapshotFront(
  serveUrl: string,
  snapshot: () => ArrayBuffer,
): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  const upstream = new URL(serveUrl);
  const token = upstream.searchParams.get('token')!;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const send = (status: number, type: string | null, data: Uint8Array): void => {
        res.writeHead(status, type ? { 'content-type': type } : {});
        res.end(data);
      };
      if (req.url === '/api/call' && req.method === 'POST') {
        const call = JSON.parse(body.toString('utf8')) as { method?: string };
        if (call.method === 'process.snapshot')
          return send(200, 'application/vnd.vmscope.snapshot', new Uint8Array(snapshot()));
      }
      void fetch(new URL(req.url ?? '/', upstream.origin), {
        method: req.method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
        },
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      }).then(
        async (r) =>
          send(r.status, r.headers.get('content-type'), new Uint8Array(await r.arrayBuffer())),
        () => send(502, 'text/plain', new TextEncoder().encode('vmscope serve did not answer')),
      );
    });
  });
  // The inspector asks by process.snapshotStream: answered with the snapshot whole, as one event.
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ server, path: '/api/stream' });
  wss.on('connection', (ws) => {
    ws.on('message', (raw) => {
      const request = JSON.parse(String(raw)) as { type: string; ref?: number; topic?: string };
      if (request.type !== 'subscribe') return;
      if (request.topic !== 'process.snapshotStream') {
        const error = {
          code: 'unknown-method',
          message: 'The bench front only streams snapshots.',
        };
        return ws.send(
          JSON.stringify({ type: 'subscribed', ref: request.ref, result: { ok: false, error } }),
        );
      }
      const id = `front-${request.ref}`;
      ws.send(
        JSON.stringify({ type: 'subscribed', ref: request.ref, result: { ok: true, value: id } }),
      );
      const data = snapshot();
      const count = JSON.parse(
        new TextDecoder().decode(new Uint8Array(data, 12, new DataView(data).getUint32(8, true))),
      ) as { count: number };
      ws.send(
        encodeStreamFrame({
          type: 'message',
          id,
          message: {
            kind: 'data',
            data: { final: true, regions: count.count, snapshot: { $codec: 'snapshot', data } },
          },
        }),
      );
      ws.send(JSON.stringify({ type: 'message', id, message: { kind: 'end', reason: 'closed' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
