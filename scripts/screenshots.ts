/**
 * Screenshots of the inspector (the whole table, then a region gone to), watch, compare and the process list at 1024×700 and 1400×900,
 * light and dark, for a person to look at (not a test): `npx tsx scripts/screenshots.ts [DIR]`
 * after `npm run build`. Starts `vmscope serve` and the regions helper, drives Chromium
 * (playwright-core, /usr/bin/chromium) and writes DIR/VIEW-WIDTHxHEIGHT-SCHEME.png
 * (default DIR: test-results/screenshots/views).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startRegionsHelper } from '../test/linux/regionsHelper';

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1400, height: 900 },
];
const SCHEMES = ['light', 'dark'] as const;
/** SHOTS=inspect,watch takes only those views (all four by default). */
const only = process.env['SHOTS']?.split(',');
const wanted = (view: string): boolean => !only || only.includes(view);

async function serve(): Promise<{ url: string; origin: string; stop: () => void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vmscope-shots-'));
  const child = spawn(process.execPath, [resolve('bin/vmscope.mjs'), 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VMSCOPE_DATA_DIR: dataDir },
  });
  let buffer = '';
  for await (const chunk of child.stdout!) {
    buffer += String(chunk);
    const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=\S+/.exec(buffer);
    if (m) return { url: m[0], origin: m[1]!, stop: () => void child.kill('SIGTERM') };
  }
  throw new Error(`vmscope serve printed no URL: ${buffer}`);
}

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? 'test-results/screenshots/views');
  mkdirSync(dir, { recursive: true });
  const host = await serve();
  const helper = await startRegionsHelper();
  const browser = await chromium.launch({
    executablePath: process.env['VMSCOPE_CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const size of SIZES) {
      for (const scheme of SCHEMES) {
        const page = await browser.newPage({ viewport: size, colorScheme: scheme });
        const shot = async (name: string): Promise<void> => {
          if (wanted(name))
            await page.screenshot({
              path: join(dir, `${name}-${size.width}x${size.height}-${scheme}.png`),
            });
        };
        await page.goto(host.url);
        await page.locator('tr[data-pid]').first().waitFor();
        await shot('processes');
        await inspect(page, host.origin, helper.pid, helper.report.rw, shot);
        await shot('inspect');
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.getByRole('button', { name: 'Compare with previous' }).click();
        await page.getByLabel('Compare snapshots').waitFor();
        await mapSettled(page);
        await shot('compare');
        if (!wanted('watch')) {
          await page.close();
          continue;
        }
        await page.goto(`${host.origin}/#/watch?pid=${helper.pid}`);
        await page.getByLabel('Watch').waitFor();
        // A few samples on the chart: the sampler's own stream, polled on the page.
        await page.waitForFunction(
          () => document.querySelectorAll('.recharts-surface, svg path').length > 2,
        );
        await page.waitForTimeout(2500);
        await shot('watch');
        await page.close();
      }
    }
  } finally {
    await browser.close();
    helper.child.kill('SIGKILL');
    host.stop();
  }
  console.log(`screenshots in ${dir}`);
}

/** The inspector on the helper, its read-write region selected (details pane filled). */
async function inspect(
  page: Page,
  origin: string,
  pid: number,
  address: string,
  shot: (name: string) => Promise<void>,
): Promise<void> {
  await page.goto(`${origin}/#/inspect?pid=${pid}`);
  await page.getByTestId('row-count').filter({ hasText: 'regions' }).waitFor();
  await mapSettled(page);
  // The whole table first, every allocation expanded.
  await page.getByRole('button', { name: 'Expand all' }).click();
  await shot('inspect-table');
  await page.getByLabel('Search regions').fill(address);
  await page.getByLabel('Search regions').press('Enter');
  await page.locator('.details h3').first().waitFor();
  await mapSettled(page);
}

/** The address map starts 800 pixels wide until its first resize: wait until it fills its row. */
async function mapSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="address-map"]');
    const wrap = canvas?.parentElement;
    if (!canvas || !wrap) return false;
    const padding = Number.parseFloat(getComputedStyle(wrap).paddingLeft) * 2;
    return Math.abs(canvas.clientWidth - (wrap.clientWidth - padding)) <= 1;
  });
}

await main();
