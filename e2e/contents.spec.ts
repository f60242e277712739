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
    await expect(
      hexRow(page, rw + 0x100n)
        .locator('.hex-bytes span')
        .first(),
    ).toHaveText('56');
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
