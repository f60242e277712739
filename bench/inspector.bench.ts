/**
 * The inspector in Chromium through the browser host, on a process with 60,000 one-page mappings
 * and a free gap after each (about 120,000 regions):
 * - snapshot to first full paint (goal under 1 s), against `cat /proc/PID/smaps` in the same run;
 * - the address map redrawn (goal under 16 ms);
 * - the region table scrolled: 95th percentile frame time (goal 60 fps), against an idle page's frames;
 * - a filter and a sort applied (goal under 100 ms each).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type Browser, type Page, chromium } from 'playwright-core';
import { compileHelper } from '../test/helpers/compile';
import { type Bench, type BenchFigure, medianMs, percentile } from './harness';

const MAPPINGS = 60_000;
const CHROMIUM = process.env['VMSCOPE_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function firstLineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  throw new Error(`process ${child.pid} ended before printing ${pattern}`);
}

/** Frame times (ms) over `frames` animation frames while `step` runs before each. */
async function frameTimes(page: Page, frames: number, step: string): Promise<number[]> {
  return page.evaluate(
    async ({ frames, step }) => {
      const table = document.querySelector('.region-table') as HTMLElement;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < frames; i++) {
        if (step === 'scroll') table.scrollTop += 330;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    },
    { frames, step },
  );
}

/** ms from setting the search box (or clicking a header or a row) to the frame after the table changed. */
async function timeTableChange(page: Page, action: { search?: string; header?: string; row?: number }): Promise<number> {
  return page.evaluate(async (action) => {
    const target = document.querySelector('[data-testid="row-count"]')!.parentElement!.parentElement!;
    const changed = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(target, { childList: true, subtree: true, characterData: true });
    });
    const start = performance.now();
    if (action.search !== undefined) {
      const input = document.querySelector('input[aria-label="Search regions"]') as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, action.search);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else if (action.row !== undefined) {
      (document.querySelector(`.rt-row[data-row="${action.row}"]`) as HTMLElement).click();
    } else {
      const header = [...document.querySelectorAll('.rt-head button')].find((b) => b.textContent?.startsWith(action.header!));
      (header as HTMLButtonElement).click();
    }
    await changed;
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - start;
  }, action);
}

export const inspectorBench: Bench = {
  name: 'inspector in Chromium (120,000 regions)',
  skipReason: () =>
    process.platform !== 'linux' ? 'needs Linux /proc' : execFileSync('sh', ['-c', `test -x ${CHROMIUM} && echo ok || true`]).toString().trim() !== 'ok' ? `no Chromium at ${CHROMIUM}` : null,
  async run(): Promise<BenchFigure[]> {
    const target = spawn(compileHelper('spacedmaps'), [String(MAPPINGS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const serve = spawn(process.execPath, ['bin/vmscope.mjs', 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let browser: Browser | undefined;
    try {
      await firstLineOf(target, /^ready/);
      const [url] = await firstLineOf(serve, /http:\/\/\S+/);
      const catMs = await medianMs(() => execFileSync('cat', [`/proc/${target.pid}/smaps`], { maxBuffer: 1 << 30 }), 5);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(url);
      const origin = new URL(url).origin;

      // Snapshot to first paint: open the inspector three times (a fresh page each time) and take the median.
      const paints: number[] = [];
      for (let i = 0; i < 3; i++) {
        await page.goto(`${origin}/#/processes`);
        await page.goto(`${origin}/#/inspect?pid=${target.pid}`);
        const text = await page.getByTestId('paint-ms').filter({ hasText: 'shown' }).textContent({ timeout: 120_000 });
        paints.push(Number(/shown (\d+) ms/.exec(text ?? '')?.[1]));
      }
      const paintMs = percentile(paints, 50);
      const regions = Number((await page.getByTestId('row-count').textContent())?.replace(/,/g, '').match(/(\d+) regions/)?.[1]);

      // The map: zoom in and out, reading the draw time it reports.
      const draws: number[] = [];
      for (let i = 0; i < 10; i++) {
        await page.getByRole('button', { name: i % 2 === 0 ? 'Zoom in' : 'Zoom out' }).click();
        draws.push(Number(/([\d.]+) ms/.exec((await page.getByTestId('map-draw-ms').textContent()) ?? '')?.[1]));
      }
      await page.getByRole('button', { name: 'Fit' }).click();
      draws.push(Number(/([\d.]+) ms/.exec((await page.getByTestId('map-draw-ms').textContent()) ?? '')?.[1]));

      // Scrolling: frames while scrolling the whole table, against frames of the same page at rest.
      await page.getByRole('button', { name: 'Expand all' }).click();
      const idle = percentile(await frameTimes(page, 60, 'idle'), 95);
      const scroll = percentile(await frameTimes(page, 240, 'scroll'), 95);

      const filterMs = await timeTableChange(page, { search: 'ffff' });
      await timeTableChange(page, { search: '' });
      const sortMs = await timeTableChange(page, { header: 'Size' });
      // A selection re-renders the rows it changes, the map's outline and the details, not the table.
      await page.evaluate(() => ((document.querySelector('.region-table') as HTMLElement).scrollTop = 0));
      const selects: number[] = [];
      for (let row = 1; row <= 5; row++) selects.push(await timeTableChange(page, { row }));

      const ratio = (value: number, goal: number) => value / goal;
      return [
        { name: `regions in the snapshot`, value: regions, unit: 'regions' },
        {
          name: 'snapshot to first full paint',
          value: paintMs,
          unit: 'ms',
          reference: { name: 'cat /proc/PID/smaps', value: catMs, unit: 'ms' },
          ratio: paintMs / catMs,
          goal: 'under 1000 ms',
          met: paintMs < 1000,
        },
        { name: 'map redraw (median of 11)', value: percentile(draws, 50), unit: 'ms', ratio: ratio(percentile(draws, 50), 16), goal: 'under 16 ms (ratio to 16 ms)', met: percentile(draws, 50) < 16 },
        { name: 'map redraw (worst of 11)', value: Math.max(...draws), unit: 'ms' },
        {
          name: 'table scroll, 95th percentile frame',
          value: scroll,
          unit: 'ms',
          reference: { name: 'idle page, 95th percentile frame', value: idle, unit: 'ms' },
          ratio: scroll / idle,
          goal: '60 fps (under 16.7 ms)',
          met: scroll < 16.7 + 1,
        },
        { name: 'filter applied', value: filterMs, unit: 'ms', goal: 'under 100 ms', met: filterMs < 100 },
        { name: 'sort applied', value: sortMs, unit: 'ms', goal: 'under 100 ms', met: sortMs < 100 },
        { name: 'row selected (median of 5)', value: percentile(selects, 50), unit: 'ms' },
      ];
    } finally {
      await browser?.close();
      serve.kill('SIGTERM');
      target.kill('SIGKILL');
    }
  },
};
