/**
 * The inspector in a Chromium that Playwright does not drive, for the cold paint: Playwright
 * enables DevTools' Network domain on every page it opens, so every WebSocket frame the page
 * receives is copied, base64-encoded, into a DevTools event (the stream's final snapshot: 24 MB
 * at 120,000 regions: some 170 ms of the browser's main thread, and a 32 MB message for the bench
 * to parse, on the cores the page needs). A user's browser pays none of that, so the cold figures are measured here, over a
 * bare DevTools connection that only evaluates the page's marks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM, CHROMIUM_ARGS, type Trace } from './inspectorPage';

interface Reply {
  id: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export interface BareBrowser {
  /**
   * Opens `url` in a fresh browser context and resolves to its trace once its index is built,
   * after `settled` (awaited with the page still open, so what the page started can finish).
   */
  traceOf(url: string, settled?: () => Promise<void>): Promise<Trace>;
  close(): Promise<void>;
}

const TRACE_EXPRESSION = `(() => {
  const asked = performance.getEntriesByName('vmscope:asked')[0]?.startTime ?? 0;
  const trace = {};
  for (const m of performance.getEntriesByType('mark'))
    if (m.name.startsWith('vmscope:') && !(m.name.slice(8) in trace))
      trace[m.name.slice(8)] = m.startTime - asked;
  return trace;
})()`;

const INDEXED_EXPRESSION = "performance.getEntriesByName('vmscope:index').length > 0";
/** As long as the Playwright pages wait for a paint. */
const DEADLINE_MS = 300_000;

function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (data: Buffer) => {
      text += data.toString('utf8');
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error('Chromium ended before listening for DevTools')));
  });
}

export async function launchBareBrowser(): Promise<BareBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'vmscope-bench-chromium-'));
  const child = spawn(
    CHROMIUM,
    [...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const socket = new WebSocket(await devtoolsUrl(child));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let last = 0;
  const waiting = new Map<number, (reply: Reply) => void>();
  socket.on('message', (raw) => {
    const reply = JSON.parse(String(raw)) as Partial<Reply>;
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply as Reply);
  });
  const send = async (
    method: string,
    params: object = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> => {
    const id = ++last;
    const reply = await new Promise<Reply>((resolve) => {
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
    waiting.delete(id);
    if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
    return reply.result ?? {};
  };
  const evaluate = async (sessionId: string, expression: string): Promise<unknown> => {
    const r = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as {
      result: { value: unknown };
    };
    return r.result.value;
  };
  return {
    async traceOf(url, settled) {
      const { browserContextId } = await send('Target.createBrowserContext');
      try {
        const { targetId } = await send('Target.createTarget', {
          url: 'about:blank',
          browserContextId,
        });
        const { sessionId } = (await send('Target.attachToTarget', {
          targetId,
          flatten: true,
        })) as { sessionId: string };
        await send(
          'Emulation.setDeviceMetricsOverride',
          { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false },
          sessionId,
        );
        await send('Page.navigate', { url }, sessionId);
        // Polled from here (a promise in the page would be lost if made before the navigation
        // committed; so is an evaluation during it).
        const deadline = Date.now() + DEADLINE_MS;
        while (!(await evaluate(sessionId, INDEXED_EXPRESSION).catch(() => false))) {
          if (Date.now() > deadline)
            throw new Error(`no search index in ${DEADLINE_MS} ms: ${url}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const trace = (await evaluate(sessionId, TRACE_EXPRESSION)) as Trace;
        await settled?.();
        return trace;
      } finally {
        await send('Target.disposeBrowserContext', { browserContextId });
      }
    },
    async close() {
      const exited = new Promise((resolve) =>
        child.exitCode === null ? child.once('exit', resolve) : resolve(undefined),
      );
      // Closed as a user would close it, so its helpers stop writing the profile first.
      await send('Browser.close').catch(() => child.kill());
      await exited;
      socket.close();
      // A helper process can still be ending after the browser: retried, as rimraf does.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
