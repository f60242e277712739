/**
 * Screenshots of every view at 1024×700, light and dark, English and Korean, for a person to look
 * at (not a test): `npx tsx scripts/screenshots.ts [DIR]` after `npm run build`. Starts
 * `vmscope serve` and the regions helper, drives Chromium (playwright-core, /usr/bin/chromium)
 * and writes DIR/VIEW-SCHEME-LANGUAGE.png (default DIR: test-results/screenshots/views).
 * SHOTS=inspect,watch takes only those views; every one by default.
 *
 * Views: processes, inspect-table (every allocation expanded), inspect (a region selected:
 * details, page states, hex), contents-strings, contents-stats, compare, library, file, watch,
 * error, sandbox (a lesson under way), physical (Use Counts), physical-lists, physical-processes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { en } from '../src/renderer/src/i18n/en';
import { ko } from '../src/renderer/src/i18n/ko';
import { startRegionsHelper } from '../test/linux/regionsHelper';

const SIZE = { width: 1024, height: 700 };
const SCHEMES = ['light', 'dark'] as const;
const LANGUAGES = { en, ko } as const;
type Language = keyof typeof LANGUAGES;
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
    for (const scheme of SCHEMES) {
      for (const language of Object.keys(LANGUAGES) as Language[]) {
        const context = await browser.newContext({
          viewport: SIZE,
          colorScheme: scheme,
          locale: language === 'ko' ? 'ko-KR' : 'en-US',
        });
        await context.addInitScript(
          (lang) => localStorage.setItem('vmscope.language', lang),
          language,
        );
        const page = await context.newPage();
        const shot = async (name: string): Promise<void> => {
          if (wanted(name))
            await page.screenshot({ path: join(dir, `${name}-${scheme}-${language}.png`) });
        };
        await views(page, host, helper.pid, helper.report.rw, LANGUAGES[language], shot);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    helper.child.kill('SIGKILL');
    host.stop();
  }
  console.log(`screenshots in ${dir}`);
}

async function views(
  page: Page,
  host: { url: string; origin: string },
  pid: number,
  rw: string,
  m: typeof en,
  shot: (name: string) => Promise<void>,
): Promise<void> {
  await page.goto(host.url);
  await page.locator('tr[data-pid]').first().waitFor();
  await shot('processes');

  // The inspector: the whole table, every allocation expanded; then the read-write region.
  await page.goto(`${host.origin}/#/inspect?pid=${pid}`);
  await page.getByTestId('row-count').waitFor();
  await mapSettled(page);
  await page.getByRole('button', { name: m.regions.expandAll }).click();
  await shot('inspect-table');
  const search = page.getByLabel(m.regions.search);
  await search.fill(rw);
  await search.press('Enter');
  await page.getByTestId('page-counts').waitFor();
  await mapSettled(page);
  await shot('inspect');
  await page.getByRole('tab', { name: m.contents.tabs.Strings }).click();
  await page.getByRole('button', { name: m.contents.strings.find }).click();
  await page.locator('.scan-status [role="status"]').first().waitFor();
  await page.locator('.contents-panel').scrollIntoViewIfNeeded();
  await shot('contents-strings');
  await page.getByRole('tab', { name: m.contents.tabs.Statistics }).click();
  await page.getByRole('button', { name: m.contents.stats.selected }).click();
  await page.locator('.stats-table tbody tr').first().waitFor();
  await shot('contents-stats');
  await page.getByRole('tab', { name: m.contents.tabs.Hex }).click();

  // Compare with a second snapshot; the exported JSON opened as a file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: m.regions.exportJson }).click(),
  ]);
  const snapshotJson = readFileSync((await download.path())!);
  await page.getByRole('button', { name: m.common.refresh, exact: true }).click();
  await page.getByRole('button', { name: m.regions.compare }).click();
  await page.getByTestId('diff-counts').waitFor();
  await mapSettled(page);
  await shot('compare');
  await page.getByRole('button', { name: m.shell.library, exact: true }).click();
  await page.getByLabel(m.library.saved).locator('tbody tr').first().waitFor();
  await shot('library');
  await page.getByLabel(m.shell.snapshotFile).setInputFiles({
    name: 'regions.json',
    mimeType: 'application/json',
    buffer: snapshotJson,
  });
  await page.locator('.file-origin').waitFor();
  await mapSettled(page);
  await shot('file');

  // Watch, with samples on the charts; an error banner.
  await page.goto(`${host.origin}/#/watch?pid=${pid}`);
  await page.waitForFunction(
    () => Number(document.querySelector('.watch-process')?.getAttribute('data-samples')) > 8,
  );
  await shot('watch');
  await page.goto(`${host.origin}/#/inspect?pid=4194304`);
  await page.getByRole('alert').first().waitFor();
  await shot('error');

  // The classroom: a lesson under way, and the machine's physical memory.
  await page.goto(`${host.origin}/#/sandbox`);
  await page.getByRole('combobox', { name: m.sandbox.lesson }).selectOption('working-set');
  const next = page.getByRole('button', { name: m.lesson.next });
  for (let i = 0; i < 4; i++) {
    await next.click();
    await page.locator('.history li').nth(i).waitFor();
  }
  await shot('sandbox');
  await page.goto(`${host.origin}/#/physical`);
  await page.getByTestId('use-counts').waitFor();
  await shot('physical');
  await page.getByRole('tab').nth(1).click();
  await page.locator('[role="tabpanel"] table').waitFor();
  await shot('physical-lists');
  await page.getByRole('tab').nth(2).click();
  await page.getByTestId('processes').waitFor();
  await shot('physical-processes');
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
