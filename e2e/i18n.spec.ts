/**
 * No string left untranslated in the views the UI's languages cover (the app shell, the sandbox
 * with a lesson under way, the physical memory view): in Korean, visible text, tooltips and
 * placeholders have no English words beyond identifiers of the Windows API, unit symbols, proper
 * names and the few terms of art Korean writing keeps in English; in English, no Hangul and no
 * untranslated key. Code (`<code>`), data marked translate="no" and text marked with another
 * `lang` are not prose and are skipped.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

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
const PROPER_NAMES = new Set(['Windows', 'Win32', 'RAMMap', 'vmscope']);
const UNITS = new Set(['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']);

/** A Latin word that is an identifier, a symbol or a name rather than English prose. */
function allowedInKorean(word: string): boolean {
  return (
    /^[A-Z0-9_]+$/.test(word) || // PAGE_READWRITE, NULL, JSON, RAM, PID
    /^_*[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(word) || // VirtualAlloc, GetLastError, lpflOldProtect
    /^0x[0-9A-Za-z]*$/.test(word) || // 0x10000, and 0x… or 0xOFF as a hex placeholder
    /^[a-z0-9]+\.exe$/.test(word) ||
    UNITS.has(word) ||
    PROPER_NAMES.has(word) ||
    TERMS_OF_ART.has(word)
  );
}

/** The prose on the page: text nodes, tooltips and placeholders outside code and untranslatable data. */
async function prose(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lang = document.documentElement.lang;
    const skip = (el: Element | null): boolean =>
      !!el?.closest('code, kbd, [translate="no"], script, style') ||
      !!el?.closest(`[lang]:not([lang="${lang}"])`);
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || skip(parent) || !parent.checkVisibility()) continue;
      const text = node.textContent?.trim();
      if (text) out.push(text);
    }
    for (const el of document.querySelectorAll('[title], [placeholder]')) {
      if (skip(el)) continue;
      for (const attribute of ['title', 'placeholder']) {
        let text = el.getAttribute(attribute);
        // A page's tooltip starts with the MEMORY_BASIC_INFORMATION fields: a struct dump, then prose.
        if (text?.startsWith('MEMORY_BASIC_INFORMATION')) text = text.split('\n').at(-1) ?? '';
        if (text) out.push(text);
      }
    }
    return out;
  });
}

async function untranslated(page: Page, language: 'en' | 'ko'): Promise<string[]> {
  const texts = await prose(page);
  if (language === 'en')
    return texts.filter(
      (t) =>
        /[\uac00-\ud7a3]/.test(t) ||
        /\b(shell|sandbox|op|grid|chart|counters|machine|lesson|physical)\.[a-z][A-Za-z.]+\b/.test(
          t,
        ),
    );
  return texts.filter((t) =>
    (t.match(/[0-9]*[A-Za-z_][A-Za-z0-9_]*(?:\.exe)?/g) ?? []).some(
      (word) => word.length > 1 && !allowedInKorean(word),
    ),
  );
}

async function visitCoveredViews(
  page: Page,
  url: string,
  language: 'en' | 'ko',
  check: () => Promise<void>,
) {
  await page.addInitScript((lang) => localStorage.setItem('vmscope.language', lang), language);
  await page.goto(`${url}#/sandbox`);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  // A lesson under way: its panel, a result line with an explanation, history, grid, counters.
  await page.getByRole('combobox', { name: 'Lesson' }).selectOption('granularity');
  const next = page.getByRole('button', { name: language === 'ko' ? '다음 단계' : 'Next step' });
  for (let i = 0; i < 4; i++) await next.click();
  await expect(page.locator('.history li')).toHaveCount(4);
  await expect(page.locator('.result-line .explanation')).toBeVisible();
  await check();
  await page.goto(`${url}#/physical`);
  for (const tab of await page.getByRole('tab').all()) {
    await tab.click();
    await expect(page.locator('[role="tabpanel"] table')).toBeVisible();
    await check();
  }
}

for (const language of ['en', 'ko'] as const) {
  test(`no string is left untranslated in ${language === 'en' ? 'English' : 'Korean'}`, async ({
    page,
    served,
  }) => {
    await visitCoveredViews(page, served.url, language, async () => {
      expect(await untranslated(page, language)).toEqual([]);
    });
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
