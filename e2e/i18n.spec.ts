/**
 * No string left untranslated in any view: the process list, the inspector on a real process
 * (summary, map, region table, details, page states, every Contents tab), Compare, the snapshot
 * library, a snapshot file, Watch, the sandbox with a lesson under way and the physical memory
 * view. In Korean, visible text, tooltips and placeholders have no English words beyond
 * identifiers of the Windows API, unit symbols, proper names and the few terms of art Korean
 * writing keeps in English; in English, no Hangul; in both, no raw i18n key. Code (`<code>`),
 * data marked translate="no" (process names, paths, a source's own descriptions) and text marked
 * with another `lang` (a service's English message) are not prose and are skipped.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { en } from '../src/renderer/src/i18n/en';
import { ko } from '../src/renderer/src/i18n/ko';
import { expect, spawnSleeper, test } from './fixtures';

/** Words Korean technical writing keeps in English (Microsoft's Korean docs do the same). */
const TERMS_OF_ART = new Set([
  'free',
  'reserved',
  'committed',
  'demand',
  'zero',
  'dirty',
  'clean',
  'copy',
  'on',
  'write',
  'private',
  'bytes',
]);
const PROPER_NAMES = new Set([
  'Windows',
  'Win32',
  'RAMMap',
  'vmscope',
  'Linux',
  'Mann',
  'Kendall',
  'Pss',
]);
const UNITS = new Set(['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ms', 'min']);
/** Names of the Linux API, as VirtualAlloc is of Windows': the brk heap, /proc/PID/smaps, the soft-dirty bit. */
const LINUX_NAMES = new Set(['brk', 'smaps', 'soft-dirty']);
const KEYS = new Set(['Ctrl', 'Shift', 'Enter', 'Space', 'Esc']);
/** The process this test inspects, named in labels such as "sleep (1234) 열기". */
const NAMES_OF_THIS_RUN = new Set(['sleep']);

/** A Latin word that is an identifier, a symbol or a name rather than English prose. */
function allowedInKorean(word: string): boolean {
  return (
    /^[A-Z0-9_]+$/.test(word) || // PAGE_READWRITE, NULL, JSON, RAM, PID
    /^_*[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(word) || // VirtualAlloc, GetLastError, lpflOldProtect
    /^0x[0-9A-Za-z]*$/.test(word) || // 0x10000, and 0x… or 0xOFF as a hex placeholder
    /^[0-9a-f]+$/.test(word) || // a hex byte pattern, "de ad be ef"
    /^[\w-]+\.(?:exe|dll|json)$/.test(word) || // file names
    UNITS.has(word) ||
    KEYS.has(word) ||
    LINUX_NAMES.has(word) ||
    NAMES_OF_THIS_RUN.has(word) ||
    PROPER_NAMES.has(word) ||
    TERMS_OF_ART.has(word)
  );
}

/** The prose on the page: text nodes, tooltips and placeholders outside code and untranslatable data. */
async function prose(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lang = document.documentElement.lang;
    // translate="no" holds for its subtree up to a nearer translate="yes" (HTML's inheritance).
    const skip = (el: Element | null): boolean =>
      !!el?.closest('code, kbd, script, style') ||
      el?.closest('[translate]')?.getAttribute('translate') === 'no' ||
      !!el?.closest(`[lang]:not([lang="${lang}"])`);
    // What the page marks as names (process, file and entry names) may appear in other labels too.
    const names = [...document.querySelectorAll('[translate="no"]')]
      .map((el) => el.textContent?.trim() ?? '')
      .filter((name) => name.length > 2)
      .sort((a, b) => b.length - a.length);
    const withoutNames = (text: string): string =>
      names.reduce((t, name) => t.split(name).join(' '), text).trim();
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || skip(parent) || !parent.checkVisibility()) continue;
      const text = withoutNames(node.textContent ?? '');
      if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
      if (skip(el)) continue;
      for (const attribute of ['title', 'placeholder', 'aria-label']) {
        let text = el.getAttribute(attribute);
        // A page's tooltip starts with the MEMORY_BASIC_INFORMATION fields: a struct dump, then prose.
        if (text?.startsWith('MEMORY_BASIC_INFORMATION')) text = text.split('\n').at(-1) ?? '';
        if (text) text = withoutNames(text);
        if (text) out.push(text);
      }
    }
    return out;
  });
}

/** A raw key of the message catalog ("watch.series.workingSet") where its text should be. */
const RAW_KEY = new RegExp(`\\b(?:${Object.keys(en).join('|')})\\.[A-Za-z][A-Za-z0-9_.-]*\\b`);

/** The language switch is named in both languages on purpose: a reader of either finds it. */
const BILINGUAL = new Set(['Language / 언어']);

async function untranslated(page: Page, language: 'en' | 'ko'): Promise<string[]> {
  const texts = (await prose(page)).filter((t) => !BILINGUAL.has(t));
  const raw = texts.filter((t) => RAW_KEY.test(t));
  if (language === 'en') return [...raw, ...texts.filter((t) => /[\uac00-\ud7a3]/.test(t))];
  return [
    ...raw,
    ...texts.filter((t) =>
      (t.match(/[0-9]*[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:exe|dll|json))?/g) ?? []).some(
        (word) => word.length > 1 && !allowedInKorean(word),
      ),
    ),
  ];
}

/** A committed, readable mapping of the process (its heap or first writable one), from /proc. */
function writableMapping(pid: number): string {
  const lines = readFileSync(`/proc/${pid}/maps`, 'utf8').trim().split('\n');
  const line = lines.find((l) => l.endsWith('[heap]')) ?? lines.find((l) => / rw.p /.test(l))!;
  return `0x${line.split('-')[0]}`;
}

async function visitEveryView(
  page: Page,
  url: string,
  language: 'en' | 'ko',
  check: (where: string) => Promise<void>,
) {
  const m = language === 'en' ? en : ko;
  const sleeper = spawnSleeper();
  const pid = sleeper.pid!;
  try {
    await page.addInitScript((lang) => localStorage.setItem('vmscope.language', lang), language);

    // The process list, filtered to a process of ours.
    await page.goto(url);
    await expect(page.locator('html')).toHaveAttribute('lang', language);
    await page.getByLabel(m.processes.filter).fill(String(pid));
    await expect(page.locator(`tr[data-pid="${pid}"]`)).toBeVisible();
    await check('process list');
    await page.getByLabel(m.processes.filter).fill('999999999');
    await expect(page.locator('p.empty')).toBeVisible();
    await check('process list, empty');
    await page.getByLabel(m.processes.filter).fill(String(pid));

    // The inspector on it, a committed region selected: details, page states, hex.
    await page.locator(`tr[data-pid="${pid}"]`).dblclick();
    await expect(page.getByTestId('row-count')).toBeVisible();
    const search = page.getByLabel(m.regions.search);
    await search.fill(writableMapping(pid));
    await search.press('Enter');
    await expect(page.getByTestId('page-counts')).toBeVisible();
    // What the source cannot know about pages is shown in the UI's language: none left English.
    await expect(page.locator('.page-unknown li').first()).toBeVisible();
    await expect(page.locator('.page-unknown li[lang="en"]')).toHaveCount(0);
    await check('inspector');
    await page.getByRole('tab', { name: m.contents.tabs.Strings }).click();
    await page.getByRole('button', { name: m.contents.strings.find }).click();
    await expect(page.getByRole('status').filter({ hasText: '.' }).first()).toBeVisible();
    await check('contents: strings');
    await page.getByRole('tab', { name: m.contents.tabs.Search }).click();
    await page.getByLabel(m.contents.search.pattern).fill('sleep');
    await page.getByRole('button', { name: m.contents.search.search, exact: true }).click();
    await expect(page.getByLabel(m.contents.search.label).getByRole('status')).toBeVisible();
    await check('contents: search');
    await page.getByRole('tab', { name: m.contents.tabs.Statistics }).click();
    await page.getByRole('button', { name: m.contents.stats.selected }).click();
    await expect(page.getByLabel(m.contents.stats.table).locator('tbody tr')).toHaveCount(1);
    await check('contents: statistics');

    // A second snapshot, and Compare.
    await page.getByRole('button', { name: m.common.refresh, exact: true }).click();
    await page.getByRole('button', { name: m.regions.compare }).click();
    await expect(page.getByTestId('diff-counts')).toBeVisible();
    await check('compare');

    // The snapshot library, with the snapshots kept automatically.
    await page.goBack();
    await expect(page.getByTestId('row-count')).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: m.regions.exportJson }).click(),
    ]);
    const snapshotJson = readFileSync((await download.path())!);
    await page.getByRole('button', { name: m.shell.library, exact: true }).click();
    await expect(page.getByLabel(m.library.saved).locator('tbody tr').first()).toBeVisible();
    await check('library');

    // The same snapshot opened as a file.
    await page.getByLabel(m.shell.snapshotFile).setInputFiles({
      name: 'sleeper.json',
      mimeType: 'application/json',
      buffer: snapshotJson,
    });
    await expect(page.locator('.file-origin')).toBeVisible();
    await check('file');

    // Watch, with a few samples.
    await page.goto(`${url}#/watch?pid=${pid}`);
    await expect
      .poll(async () => Number(await page.locator('.watch-process').getAttribute('data-samples')))
      .toBeGreaterThan(2);
    await check('watch');
  } finally {
    sleeper.kill('SIGKILL');
  }

  // Error banners: a process that is gone, a snapshot no longer open, nothing to compare.
  let serviceErrors = 0;
  for (const [where, route] of [
    ['error: no process', '#/inspect?pid=999999999'],
    ['error: file gone', '#/file?id=999999'],
    ['error: nothing to compare', '#/compare?before=999998&after=999999'],
  ] as const) {
    await page.goto(`${url}${route}`);
    await expect(page.getByRole('alert').first()).toBeVisible();
    // The service's detail is English: another language adds its own hint for the error's code.
    for (const banner of await page.locator('.error-banner:has(.error-text)').all()) {
      const code = (await banner.getAttribute('data-code')) as keyof typeof en.errorBanner.hint;
      if (language === 'ko') await expect(banner).toContainText(ko.errorBanner.hint[code]);
      else await expect(banner.locator('.error-text > span')).toHaveCount(1);
      serviceErrors++;
    }
    await check(where);
  }
  expect(serviceErrors).toBeGreaterThan(0);

  // The sandbox with a lesson under way: its panel, a result line, history, grid, counters.
  await page.goto(`${url}#/sandbox`);
  await page.getByRole('combobox', { name: m.sandbox.lesson }).selectOption('granularity');
  const next = page.getByRole('button', { name: m.lesson.next });
  for (let i = 0; i < 4; i++) await next.click();
  await expect(page.locator('.history li')).toHaveCount(4);
  await expect(page.locator('.result-line .explanation')).toBeVisible();
  await check('sandbox');
  await page.goto(`${url}#/physical`);
  for (const tab of await page.getByRole('tab').all()) {
    await tab.click();
    await expect(page.locator('[role="tabpanel"] table')).toBeVisible();
    await check(`physical: ${await tab.textContent()}`);
  }
}

for (const language of ['en', 'ko'] as const) {
  test(`no string is left untranslated in ${language === 'en' ? 'English' : 'Korean'}`, async ({
    page,
    served,
  }) => {
    test.setTimeout(180_000);
    // Every view is visited before the verdict, so one run names every string left over.
    const leftOver: Record<string, string[]> = {};
    await visitEveryView(page, served.url, language, async (where) => {
      const found = await untranslated(page, language);
      if (found.length > 0) leftOver[where] = found;
    });
    expect(leftOver).toEqual({});
  });
}

test('the first visit follows the OS language, and the switch changes and remembers it', async ({
  browser,
  served,
}) => {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  await page.goto(`${served.url}#/sandbox`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByRole('button', { name: '샌드박스' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Language / 언어' }).selectOption('en');
  await expect(page.getByRole('button', { name: 'Sandbox' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});
