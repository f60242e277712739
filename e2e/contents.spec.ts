import type { Page, Request } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { bare, contents, hexRow, rowAt, settledHexRow } from './contentsLocators';
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
      const row = await settledHexRow(page, address);
      const cell = row.locator(column === 'hex' ? '.hex-bytes' : '.hex-ascii');
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

test.describe('the hex view of a region larger than its 8 MiB window', () => {
  let helper: ContentsProcess;
  let big: bigint;
  test.beforeAll(async () => {
    // 16 MiB, each page starting "vmscope bench page N of a big region", the pattern at its end.
    helper = await startContentsHelper(16, true);
    big = parseAddress(helper.report.big);
  });
  test.afterAll(() => void helper.child.kill('SIGKILL'));

  test('scrolls by keyboard to each window’s ends, the rows showing the bytes at their addresses', async ({
    page,
    served,
  }) => {
    await page.goto(`${served.url}#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await page.getByLabel('Search regions').fill(bare(helper.report.big));
    await rowAt(page, helper.report.big).click();
    const grid = contents(page).getByRole('grid', { name: 'Bytes' });
    await expect(hexRow(page, big)).toContainText('vmscope bench pa');
    await expect(hexRow(page, big + 0x10n)).toContainText('ge 0 of a big re');
    await grid.focus();
    await page.keyboard.press('End');
    // The first window's last row: the end of page 2047, zeros after its line of text.
    const last = hexRow(page, big + 0x800000n - 16n);
    await expect(last).toBeVisible();
    await expect(last.locator('.hex-bytes')).toHaveText(
      '00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00',
    );
    await contents(page).getByRole('button', { name: 'Next 8 MiB' }).click();
    await grid.focus();
    await page.keyboard.press('End');
    await expect(hexRow(page, big + 0x1000000n - 16n).locator('.hex-bytes')).toHaveText(
      'de ad be ef 01 23 45 67  89 ab cd ef fe ed fa ce',
    );
    await page.keyboard.press('Home');
    await expect(hexRow(page, big + 0x800010n)).toContainText('ge 2048 of a big');
    // Far inside the window, by address: the row shows that page's own line.
    await contents(page)
      .getByLabel('Go to address')
      .fill(formatAddress(big + 0xabc000n));
    await contents(page).getByRole('button', { name: 'Go', exact: true }).click();
    await expect(hexRow(page, big + 0xabc010n)).toContainText('ge 2748 of a big');
    await expect(hexRow(page, big + 0xabc000n).locator('.hex-bytes .selected')).toHaveText('76');
  });

  test('scrolled fast over its window, it reads one block at a time and shows where it stops', async ({
    page,
    served,
  }) => {
    // Reads in flight, counted from the page's own requests (POST /api/call with region.read).
    let inFlight = 0;
    let most = 0;
    let reads = 0;
    const isRead = (r: Request) =>
      r.method() === 'POST' && (r.postData() ?? '').includes('"region.read"');
    page.on('request', (r) => {
      if (!isRead(r)) return;
      reads++;
      most = Math.max(most, ++inFlight);
    });
    const done = (r: Request) => void (isRead(r) && inFlight--);
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    await page.goto(`${served.url}#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await page.getByLabel('Search regions').fill(bare(helper.report.big));
    await rowAt(page, helper.report.big).click();
    await expect(hexRow(page, big)).toContainText('vmscope bench pa');
    // The details pane's preview reads the region's start too: count from when both have it.
    const preview = page.getByLabel('Region details').locator('.hex-row').first();
    await expect(preview.locator('.hex-ascii')).toHaveText('vmscope ');
    await expect.poll(() => inFlight).toBe(0);
    [most, reads] = [0, 0];
    // 120 frames from the top of the window to its bottom: 2 blocks of 64 KiB passed a frame.
    const top = await contents(page)
      .locator('.hex-scroll')
      .evaluate(async (view) => {
        const frames = 120;
        const step = (view.scrollHeight - view.clientHeight) / frames;
        for (let i = 1; i <= frames; i++) {
          view.scrollTop = Math.round(i * step);
          await new Promise((r) => requestAnimationFrame(r));
        }
        return view.scrollTop;
      });
    const stop = big + BigInt(Math.floor(top / 18) * 16);
    await expect(hexRow(page, stop + 0x10n * 10n)).not.toContainText('··');
    expect(reads).toBeGreaterThan(0);
    expect(most).toBe(1);
  });
});
