/**
 * Memory, as ratios against the data it holds (issue 17, point 5), all through `vmscope serve`:
 * - the service's peak RSS (the serve process's VmHWM, reset just before) during one snapshot of
 *   a process with 60,000 mappings, vs the size of that process's smaps text (goal: at most 3x);
 * - the host's RSS after 100 more snapshots of one process (5,000 mappings, so the run stays
 *   short) vs after the first 10 (goal: at most 1.1x, no growth beyond 10%: a leak check);
 * - the renderer's JS heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) with the
 *   inspector showing about 120,000 regions, settled (its idle work done: summary, search index,
 *   sort orders, the library's autosave), vs the encoded snapshot the host sent it (goal: at most
 *   4x); and the same at the first paint, before that work.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { compileHelper } from '../test/helpers/compile';
import type { Bench, BenchFigure } from './harness';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumMissing,
  paintOf,
  traceOf,
  wholeOf,
} from './inspectorPage';
import { BENCH_NAMES } from './names';

const MB = 1e6;

async function lineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  throw new Error(`process ${child.pid} ended before printing ${pattern}`);
}

async function helper(name: 'manymaps' | 'spacedmaps', mappings: number): Promise<ChildProcess> {
  const child = spawn(compileHelper(name), [String(mappings)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await lineOf(child, /^ready/);
  return child;
}

/** A `kB` line of /proc/PID/status, in bytes. */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return Number(line?.[1]) * 1024;
}

/**
 * A process's resident bytes mapped from files (node's own code and data, shared with every other
 * node process but counted in each one's RSS) and anonymous ones (heaps, stacks, buffers).
 */
function residentSplit(pid: number): { file: number; anonymous: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kB = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1]) * 1024;
  return { file: kB('Rss') - kB('Anonymous'), anonymous: kB('Anonymous') };
}

/** The bytes of a file read to its end (procfs files report no size). */
function sizeOf(path: string): number {
  return execFileSync('cat', [path], { maxBuffer: 1 << 30 }).length;
}

export const memoryBench: Bench = {
  name: BENCH_NAMES.memory,
  skipReason: () => (process.platform === 'linux' ? null : 'reads /proc: Linux only'),
  async run(): Promise<BenchFigure[]> {
    const figures: BenchFigure[] = [];
    const many = await helper('manymaps', 60_000);
    const small = await helper('manymaps', 5000);
    const spaced = await helper('spacedmaps', 60_000);
    const serve = spawn(process.execPath, ['bin/vmscope.mjs', 'serve'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [url] = await lineOf(serve, /http:\/\/\S+/);
      const { origin, searchParams } = new URL(url);
      const token = searchParams.get('token')!;
      /** One snapshot through the host's API; the encoded snapshot's size in bytes. */
      const snapshot = async (pid: number): Promise<number> => {
        const res = await fetch(`${origin}/api/call`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ method: 'process.snapshot', input: { pid } }),
        });
        if (!res.ok) throw new Error(`snapshot of ${pid}: HTTP ${res.status} ${await res.text()}`);
        return (await res.arrayBuffer()).byteLength;
      };
      const servePid = serve.pid!;

      // Where the memory goes: the process before any worker (each starts on its lane's first
      // call), then with the heavy worker started and warm.
      const started = statusBytes(servePid, 'VmRSS');
      const startedSplit = residentSplit(servePid);
      // Peak: the workers started and warm, the high-water mark reset (clear_refs 5), one snapshot.
      await snapshot(small.pid!);
      const smapsBytes = sizeOf(`/proc/${many.pid}/smaps`);
      const idle = statusBytes(servePid, 'VmRSS');
      writeFileSync(`/proc/${servePid}/clear_refs`, '5');
      await snapshot(many.pid!);
      const peak = statusBytes(servePid, 'VmHWM');
      const afterSplit = residentSplit(servePid);
      const mb = (bytes: number): string => (bytes / MB).toFixed(0);
      console.log(
        `  serve process: ${mb(started)} MB with no worker, ${mb(idle)} MB with the heavy worker warm, peak ${mb(peak)} MB during the snapshot`,
      );
      console.log(
        `  of which mapped from files (node's code, shared with other node processes): ${mb(startedSplit.file)} MB at the start, ${mb(afterSplit.file)} MB after the snapshot; anonymous: ${mb(startedSplit.anonymous)} MB at the start, ${mb(afterSplit.anonymous)} MB after`,
      );
      figures.push({
        name: 'service peak RSS during a 60,000-mapping snapshot',
        value: peak / MB,
        unit: 'MB',
        reference: { name: 'that process’s smaps text', value: smapsBytes / MB, unit: 'MB' },
        ratio: peak / smapsBytes,
        goal: { of: 'ratio', op: '<=', limit: 3 },
      });
      figures.push({
        name: 'service RSS growth during that snapshot (peak minus before)',
        value: (peak - idle) / MB,
        unit: 'MB',
        reference: { name: 'that process’s smaps text', value: smapsBytes / MB, unit: 'MB' },
        ratio: (peak - idle) / smapsBytes,
      });

      // Leak check: 100 snapshots to settle, then 100 more of the same process. The host's RSS
      // climbs for its first ~60 snapshots while V8 sizes its heaps (measured: 158 MB after 10,
      // 184 after 60, then 182-184 through 410), so 10 to settle took that climb for a leak.
      for (let i = 0; i < 100; i++) await snapshot(small.pid!);
      const settled = statusBytes(servePid, 'VmRSS');
      for (let i = 0; i < 100; i++) await snapshot(small.pid!);
      const after = statusBytes(servePid, 'VmRSS');
      figures.push({
        name: 'host RSS after 100 more snapshots (5,000 mappings)',
        value: after / MB,
        unit: 'MB',
        reference: { name: 'host RSS after the first 100', value: settled / MB, unit: 'MB' },
        ratio: after / settled,
        goal: { of: 'ratio', op: '<=', limit: 1.1 },
      });

      const heapName = 'renderer JS heap with the inspector showing ~120,000 regions';
      const missing = chromiumMissing();
      if (missing) {
        figures.push({ name: heapName, value: Number.NaN, unit: 'MB', notMeasured: missing });
        return figures;
      }
      const encoded = await snapshot(spaced.pid!);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        // The library's autosave asks the service to keep the snapshot when the page is idle after the paint.
        const saved = page.waitForResponse(
          (r) =>
            r.url().endsWith('/api/call') &&
            /library\.(save|keepTaken)/.test(r.request().postData() ?? ''),
          { timeout: 300_000 },
        );
        await page.goto(`${url}#/inspect?pid=${spaced.pid}`);
        await paintOf(page);
        await wholeOf(page);
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('HeapProfiler.enable');
        const heap = async (): Promise<number> => {
          await cdp.send('HeapProfiler.collectGarbage');
          return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
        };
        const atPaint = await heap();
        await traceOf(page);
        await saved;
        const settled = await heap();
        const reference = {
          name: 'the encoded snapshot it was sent',
          value: encoded / MB,
          unit: 'MB',
        };
        figures.push({
          name: heapName,
          value: settled / MB,
          unit: 'MB',
          reference,
          ratio: settled / encoded,
          goal: { of: 'ratio', op: '<=', limit: 4 },
        });
        figures.push({
          name: 'renderer JS heap at the first paint (before the summary, index and sort orders)',
          value: atPaint / MB,
          unit: 'MB',
          reference,
          ratio: atPaint / encoded,
        });
      } finally {
        await browser.close();
      }
      return figures;
    } finally {
      serve.kill('SIGTERM');
      for (const child of [many, small, spaced]) child.kill('SIGKILL');
    }
  },
};
