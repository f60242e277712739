/**
 * Memory contents against the kernel and binutils, on the contents helper (test/helpers/contents.c):
 * - searching a 1 GiB committed anonymous region for a 16-byte pattern (placed at its very end,
 *   so every byte is read) vs `dd bs=1M` of the same range from /proc/PID/mem to /dev/null
 *   (goal: at most 1.5x);
 * - `vmscope strings` end to end over a process with 256 MiB committed vs `strings -a` over a core
 *   file of the same process made by gdb's `gcore` (made once, untimed; goal: faster).
 * - the hex view scrolled over a 1 GiB region in Chromium through the browser host: the share of
 *   frames dropped while scrolling (an interval over 1.5 frames of 60 Hz; goal at most 1 %, that
 *   is, it keeps 60 fps), the 95th percentile frame time against the same page at rest (no goal:
 *   headless Chromium's idle page itself paces at p95 ≈ 17 ms here, so "p95 under 16.7 ms" fails
 *   a page doing nothing), and the renderer's main-thread work per scrolled frame (Chromium's
 *   TaskDuration), which says where a missed frame's time went when the machine is busy.
 * Each pair runs interleaved, A B A B ..., so a busy machine slows both alike.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type CDPSession, chromium } from 'playwright-core';
import { startSearch, ScanSlots } from '../src/core/contents/scans';
import { createLinuxSource } from '../src/core/sources/linux/linuxSource';
import { formatAddress } from '../src/shared/address';
import { compileHelper } from '../test/helpers/compile';
import {
  type Bench,
  type BenchFigure,
  fromStats,
  interleaved,
  percentile,
  referenceOf,
  statsOf,
} from './harness';
import { traceFrames } from './frameTrace';
import { droppedPercent, frameTimes } from './frames';
import { startServe } from './serve';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from './inspectorPage';
import { BENCH_NAMES } from './names';

const CLI = 'bin/vmscope.mjs';
const PATTERN = 'de ad be ef 01 23 45 67 89 ab cd ef fe ed fa ce';

interface Helper {
  child: ChildProcess;
  big: bigint;
  bigSize: number;
}

async function startHelper(mib: number): Promise<Helper> {
  const child = spawn(compileHelper('contents'), [String(mib), 'pattern'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const report = JSON.parse(line) as { big: string; bigSize: number };
    return { child, big: BigInt(report.big), bigSize: report.bigSize };
  }
  throw new Error('the contents helper exited before it reported');
}

function run(command: string, args: string[], stdout: 'ignore' | number = 'ignore'): void {
  const result = spawnSync(command, args, { stdio: ['ignore', stdout, 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

/** The search through the core's stream, to its end; resolves with the matches found. */
function search(pid: number, region: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let found = 0;
    startSearch(
      new ScanSlots(),
      createLinuxSource(),
      { pid, kind: 'hex', pattern: PATTERN, regions: [region] },
      (message) => {
        if (message.kind === 'data') found += message.data.matches.length;
        else if (message.reason === 'closed') resolve(found);
        else reject(new Error(message.error?.message ?? message.reason));
      },
    );
  });
}

async function searchFigure(): Promise<BenchFigure> {
  const helper = await startHelper(1024);
  const pid = helper.child.pid!;
  try {
    const region = formatAddress(helper.big);
    if ((await search(pid, region)) !== 1) throw new Error('the pattern was not found once');
    const dd = [
      `if=/proc/${pid}/mem`,
      'of=/dev/null',
      'bs=1M',
      'iflag=skip_bytes,count_bytes',
      `skip=${helper.big}`,
      `count=${helper.bigSize}`,
      'status=none',
    ];
    const { a, b } = await interleaved(
      { a: () => search(pid, region), b: () => run('dd', dd) },
      { runs: 5 },
    );
    return fromStats('search 1 GiB region for 16 bytes vs dd bs=1M of /proc/PID/mem', a, 'ms', {
      reference: referenceOf('dd bs=1M of the same range', b, 'ms'),
      ratio: a.median / b.median,
      goal: { of: 'ratio', op: '<=', limit: 1.5 },
    });
  } finally {
    helper.child.kill('SIGKILL');
  }
}

async function stringsFigure(): Promise<BenchFigure> {
  const helper = await startHelper(256);
  const pid = String(helper.child.pid!);
  const dir = mkdtempSync(join(tmpdir(), 'vmscope-gcore-'));
  try {
    const core = join(dir, 'core');
    run('gcore', ['-o', core, pid]);
    const coreFile = `${core}.${pid}`;
    const { a, b } = await interleaved(
      {
        a: () => run(process.execPath, [CLI, 'strings', '--pid', pid, '--encoding', 'ascii']),
        b: () => run('strings', ['-a', coreFile]),
      },
      { runs: 3 },
    );
    return fromStats('vmscope strings (256 MiB process) vs strings -a of its gcore core', a, 'ms', {
      reference: referenceOf('strings -a over the core file', b, 'ms'),
      ratio: a.median / b.median,
      goal: { of: 'ratio', op: '<', limit: 1 },
    });
  } finally {
    helper.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The renderer main thread's busy time so far, in ms (CDP Performance.getMetrics' TaskDuration). */
async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0);
}

const HEX_VIEW = '.contents-panel .hex-scroll';

async function hexScrollFigures(): Promise<BenchFigure[]> {
  const helper = await startHelper(1024);
  const serve = await startServe(CLI);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const { url } = serve;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}#/inspect?pid=${helper.child.pid}`);
    await page.getByLabel('Search regions').fill(helper.big.toString(16));
    await page
      .locator(`.rt-row[data-base="${formatAddress(helper.big)}"]`)
      .last()
      .click();
    await page.locator('.contents-panel .hex-row').first().waitFor();
    // In view, or Chromium culls its paint and the frames measure less than a user's do.
    const view = page.locator('.contents-panel .hex-scroll').first();
    await view.scrollIntoViewIfNeeded();
    const box = (await view.boundingBox())!;
    if (box.y < 0 || box.y + box.height > 800)
      throw new Error(`the hex view is not wholly on screen (y ${box.y}, height ${box.height})`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const FRAMES = 60;
    const idles: number[] = [];
    const scrolls: number[] = [];
    const idleWork: number[] = [];
    const scrollWork: number[] = [];
    const idleDropped: number[] = [];
    const scrollDropped: number[] = [];
    // Four rounds of 60 frames each, idle and scrolling interleaved, the first round discarded.
    for (let round = 0; round < 4; round++) {
      const t0 = await taskMs(cdp);
      const idleTimes = await frameTimes(page, HEX_VIEW, FRAMES, false);
      const t1 = await taskMs(cdp);
      const scrollTimes = await frameTimes(page, HEX_VIEW, FRAMES, true);
      const t2 = await taskMs(cdp);
      if (round === 0) continue;
      idles.push(percentile(idleTimes, 95));
      scrolls.push(percentile(scrollTimes, 95));
      idleDropped.push(droppedPercent(idleTimes));
      scrollDropped.push(droppedPercent(scrollTimes));
      idleWork.push((t1 - t0) / FRAMES);
      scrollWork.push((t2 - t1) / FRAMES);
    }
    // One more scrolled round under a trace (not counted: tracing slows it): where the time goes.
    const lines = await traceFrames(browser, page, FRAMES, () =>
      frameTimes(page, HEX_VIEW, FRAMES, true),
    );
    for (const line of lines) console.log(line);
    const [idle, scroll] = [statsOf(idles), statsOf(scrolls)];
    const [restWork, work] = [statsOf(idleWork), statsOf(scrollWork)];
    const [restDropped, dropped] = [statsOf(idleDropped), statsOf(scrollDropped)];
    return [
      fromStats('hex view scrolled over a 1 GiB region: frames dropped', dropped, '%', {
        reference: referenceOf('the same page at rest: frames dropped', restDropped, '%'),
        goal: { of: 'value', op: '<=', limit: 1 },
      }),
      fromStats('hex view scrolled over a 1 GiB region: p95 frame time', scroll, 'ms', {
        reference: referenceOf('the same page at rest: p95 frame time', idle, 'ms'),
        ratio: scroll.median / idle.median,
      }),
      fromStats('hex view scrolled: renderer main-thread work per frame', work, 'ms', {
        reference: referenceOf('the same page at rest: work per frame', restWork, 'ms'),
        ratio: work.median / restWork.median,
        // The frame's work must fit its 16.7 ms with room for compositing and a busy machine.
        goal: { of: 'value', op: '<', limit: 8 },
      }),
    ];
  } finally {
    await browser.close();
    await serve.close();
    helper.child.kill('SIGKILL');
  }
}

export const contentsBench: Bench = {
  name: BENCH_NAMES.contents,
  skipReason: () => {
    if (process.platform !== 'linux') return 'reads /proc/PID/mem: Linux only';
    if (spawnSync('gcore', ['--version']).error) return 'gdb (gcore) is not installed';
    return null;
  },
  run: async () => [await searchFigure(), await stringsFigure()],
};

/** The hex view's scrolling, apart (`npm run bench "hex view"`): `contents` still runs both. */
export const hexViewBench: Bench = {
  name: BENCH_NAMES.hexView,
  skipReason: () =>
    process.platform !== 'linux' ? 'reads /proc/PID/mem: Linux only' : chromiumMissing(),
  run: hexScrollFigures,
};
