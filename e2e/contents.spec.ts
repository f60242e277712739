import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { bare, contents, hexRow, rowAt } from './contentsLocators';
import { formatAddress, parseAddress } from '../src/shared/address';
import {
  ASCII_MARKER,
  type ContentsProcess,
  WIDE_MARKER,
  startContentsHelper,
} from '../test/contents/contentsHelper';

test.describe('memory contents of a process with known bytes', () => {
  let helper: ContentsProcess;
  let rw: bigint;
  test.beforeAll(async () => {
    helper = await startContentsHelper();
    rw = parseAddress(helper.report.rw);
  });
  test.afterAll(() => void helper.child.kill('SIGKILL'));

  async function openRegion(page: Page, url: string, base: string): Promise<void> {
    await page.goto(`${url}#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await page.getByRole('button', { name: 'Expand all' }).click();
    await page.getByLabel('Search regions').fill(bare(base));
    await rowAt(page, base).click();
  }

  test('the hex view shows the marker, goes to an address and selects it', async ({
    page,
    served,
  }) => {
    await openRegion(page, served.url, helper.report.rw);
    await expect(hexRow(page, rw + 0x100n)).toContainText('VMSCOPE-MARKER-A');
    await expect(hexRow(page, rw + 0x100n).locator('.hex-bytes')).toHaveText(
      '56 4d 53 43 4f 50 45 2d  4d 41 52 4b 45 52 2d 41',
    );
    await contents(page)
      .getByLabel('Go to address')
      .fill(formatAddress(rw + 0x2010n));
    await contents(page).getByRole('button', { name: 'Go', exact: true }).click();
    const row = hexRow(page, rw + 0x2010n);
    await expect(row).toContainText('de');
    await expect(row.locator('.hex-bytes .selected')).toHaveText('de');
    await expect(contents(page).getByLabel('Selection')).toContainText(formatAddress(rw + 0x2010n));
    // The details pane has its own short preview of the region's first rows.
    await expect(page.getByLabel('Region details').locator('.hex-row').first()).toBeVisible();
    await screenshot(page, 'contents-hex');
  });

  test('a click and a shift-click on plain rows select bytes that copy as hex and as text', async ({
    page,
    served,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openRegion(page, served.url, helper.report.rw);
    // Rows without holes or selection are plain text: the click finds the byte under the pointer.
    const clickByte = async (
      address: bigint,
      column: 'hex' | 'ascii',
      byte: number,
      modifiers: Array<'Shift'> = [],
    ): Promise<void> => {
      const cell = hexRow(page, address).locator(column === 'hex' ? '.hex-bytes' : '.hex-ascii');
      const text = (await cell.textContent()) ?? '';
      const box = (await cell.boundingBox())!;
      const char = column === 'hex' ? 3 * byte + (byte >= 8 ? 1 : 0) : byte;
      await cell.click({
        position: { x: ((char + 0.5) * box.width) / text.length, y: box.height / 2 },
        modifiers,
      });
    };
    // "VMSCOPE-MARKER-ASCII-1234" starts at rw + 0x100: select "MARKER-ASCII" (0x108 to 0x113).
    await clickByte(rw + 0x100n, 'hex', 8);
    await clickByte(rw + 0x110n, 'ascii', 3, ['Shift']);
    await expect(contents(page).getByLabel('Selection')).toContainText(
      `${formatAddress(rw + 0x108n)} · 12 bytes`,
    );
    await contents(page).getByRole('button', { name: 'Copy as text' }).click();
    await expect(contents(page).getByRole('status')).toContainText('Copied 12 bytes as text');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('MARKER-ASCII');
    await contents(page).getByRole('button', { name: 'Copy as hex' }).click();
    await expect(contents(page).getByRole('status')).toContainText('Copied 12 bytes as hex');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      '4d 41 52 4b 45 52 2d 41 53 43 49 49',
    );
  });

  test('the details pane preview fits a 1024 px window, 8 bytes a row', async ({
    page,
    served,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await openRegion(page, served.url, helper.report.rw);
    const preview = page.getByLabel('Region details').locator('.hex-scroll');
    // The helper leaves the region's first bytes zero; the preview is its first 128 bytes.
    const row = preview.locator('.hex-row').first();
    await expect(row.locator('.hex-address')).toHaveText('+00');
    await expect(row.locator('.hex-bytes')).toHaveText('00 00 00 00  00 00 00 00');
    await expect(row.locator('.hex-ascii')).toHaveText('........');
    const widths = await preview.evaluate((el) => ({
      scroll: el.scrollWidth,
      client: el.clientWidth,
      pane: el.closest('.details')!.scrollWidth - el.closest('.details')!.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(widths.pane).toBe(0);
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, 'contents-preview-1024');
  });

  test('unreadable bytes are drawn as holes, not zeros', async ({ page, served }) => {
    await page.goto(`${served.url}#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await page.getByLabel('Search regions').fill('[vvar]');
    await page.locator('.rt-row[data-base]', { hasText: '[vvar]' }).first().click();
    const first = contents(page).locator('.hex-row').first();
    await expect(first.locator('.hex-bytes .hole').first()).toHaveText('??');
    await expect(first.locator('.hex-bytes .hole').first()).toHaveAttribute(
      'title',
      /not readable: unreadable/,
    );
  });

  test('search finds the UTF-16 marker with progress, and its result opens the hex view there', async ({
    page,
    served,
  }) => {
    await page.goto(`${served.url}#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await contents(page).getByRole('tab', { name: 'Search' }).click();
    const pane = page.getByLabel('Search memory');
    await pane.getByLabel('Search for').selectOption('utf16');
    await pane.getByLabel('Pattern').fill(WIDE_MARKER);
    await pane.getByRole('button', { name: 'Search' }).click();
    await expect(pane.getByRole('status')).toContainText('Done');
    const target = formatAddress(rw + 0x1040n);
    await pane.getByRole('button', { name: target }).click();
    await expect(contents(page).getByRole('tab', { name: 'Hex' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(rowAt(page, helper.report.rw)).toHaveAttribute('aria-selected', 'true');
    await expect(hexRow(page, rw + 0x1040n).locator('.hex-bytes .selected')).toHaveText('56');
  });

  test('strings of the selected region list the ASCII and UTF-16 markers', async ({
    page,
    served,
  }) => {
    await openRegion(page, served.url, helper.report.rw);
    await contents(page).getByRole('tab', { name: 'Strings' }).click();
    const pane = page.getByLabel('Strings');
    await pane.getByRole('button', { name: 'Find strings' }).click();
    await expect(pane.getByRole('status')).toContainText('Done');
    await expect(pane.getByLabel('Strings found')).toContainText(ASCII_MARKER);
    await expect(pane.getByLabel('Strings found')).toContainText(WIDE_MARKER);
  });

  test('the summary lists regions by committed-but-zero, computed with progress', async ({
    page,
    served,
  }) => {
    await openRegion(page, served.url, helper.report.rw);
    const summary = page.getByLabel('Summary by kind');
    await summary.getByRole('tab', { name: 'Committed but zero' }).click();
    await summary.getByRole('button', { name: 'Find committed-but-zero pages' }).click();
    await expect(summary.getByRole('status')).toContainText('Done');
    const table = summary.getByRole('table', { name: 'Regions by committed-but-zero bytes' });
    // The helper's region: 11 of its 16 pages never written.
    await expect(table.locator(`tr[data-base="${helper.report.rw}"]`)).toContainText('44.0 KiB');
    const zeros = await table
      .locator('tbody tr[data-base] td:nth-child(4)')
      .evaluateAll((cells) =>
        cells.map((c) => Number(c.getAttribute('title')!.replace(/\D/g, ''))),
      );
    expect(zeros.length).toBeGreaterThan(1);
    expect(zeros).toEqual([...zeros].sort((a, b) => b - a));
    await screenshot(page, 'contents-zero-summary');
    // The Statistics tab shows the same scan's results without computing again.
    await contents(page).getByRole('tab', { name: 'Statistics' }).click();
    const stats = page.getByLabel('Region statistics');
    await expect(stats.locator('tbody tr')).toHaveCount(zeros.length);
    // A row selects its region in the table.
    await page.getByLabel('Search regions').fill('');
    await table.locator('tbody tr[data-base]').first().click();
    const top = await table.locator('tbody tr[data-base]').first().getAttribute('data-base');
    await expect(page.getByLabel('Region details')).toContainText(top!.replace(/^0x/, ''));
  });

  test('statistics sort regions by committed-but-zero', async ({ page, served }) => {
    await openRegion(page, served.url, helper.report.rw);
    await contents(page).getByRole('tab', { name: 'Statistics' }).click();
    const pane = page.getByLabel('Content statistics');
    await pane.getByRole('button', { name: 'Compute for the selected region' }).click();
    await expect(pane.getByRole('status')).toContainText('Done');
    const row = pane.getByLabel('Region statistics').locator('tbody tr').first();
    // 16 pages: 11 never written (zero), two identical 'A' pages: 5 distinct contents.
    await expect(row).toContainText('44.0 KiB');
    await expect(row).toContainText('5 of 16');
  });
});
