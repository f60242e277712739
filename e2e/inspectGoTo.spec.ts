import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { type RegionsProcess, startRegionsHelper } from '../test/linux/regionsHelper';

const bare = (hex: string) => hex.replace(/^0x/, '').replace(/^0+/, '');
const padded = (hex: string) => `0x${bare(hex).padStart(12, '0')}`;
const selectedRows = (page: Page) => page.locator('.rt-row[aria-selected="true"]');

test.describe('go to address (issue 18.1)', () => {
  let helper: RegionsProcess;
  test.beforeAll(async () => {
    helper = await startRegionsHelper();
  });
  test.afterAll(() => void helper.child.kill('SIGKILL'));

  test('Ctrl+G and the search box select the exact region, fill the details and centre the map', async ({
    page,
    served,
  }) => {
    const maps = helper.report;
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    const map = page.getByTestId('address-map');
    // Zoomed in to 1/32 of the space: the map must move to show what is gone to.
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect(page.locator('.address-map')).toContainText('3% shown');

    // Ctrl+G puts the keyboard in the search box; the reserve's exact address selects its region.
    await page.locator('.region-table').focus();
    await page.keyboard.press('Control+g');
    const search = page.getByLabel('Search regions');
    await expect(search).toBeFocused();
    await page.keyboard.type(maps.reserve);
    await expect(selectedRows(page)).toHaveCount(1);
    const reserveRow = selectedRows(page);
    await expect(reserveRow).toHaveAttribute('data-base', `0x${bare(maps.reserve)}`);
    await expect(reserveRow.locator('[role="gridcell"]').nth(7)).toHaveText('reserved');
    await expect(reserveRow).toBeInViewport();
    const details = page.getByLabel('Region details');
    await expect(details).toContainText(padded(maps.reserve));
    await expect(details).toContainText('reserved');
    await expect(details).toContainText('PAGE_NOACCESS');
    const centred = async () => Math.abs(Number(await map.getAttribute('data-selected-at')) - 0.5);
    await expect.poll(centred).toBeLessThan(0.01);
    await screenshot(page, 'inspect-goto-reserve');

    // An address inside the read-write region (not its base) selects that region; Enter hands the
    // keyboard to the table at it.
    const inside = `0x${(BigInt(maps.rw) + BigInt(maps.rwSize / 2 + 0x123)).toString(16)}`;
    await search.fill(inside);
    await expect(selectedRows(page)).toHaveAttribute('data-base', `0x${bare(maps.rw)}`);
    await expect(details).toContainText(padded(maps.rw));
    await expect(details).toContainText('PAGE_READWRITE');
    await expect.poll(centred).toBeLessThan(0.01);
    await search.press('Enter');
    await expect(page.locator('.region-table')).toBeFocused();

    // A free address selects the free block that holds it.
    await page.keyboard.press('Control+g');
    await page.keyboard.type('0x2000');
    await expect(selectedRows(page)).toHaveCount(1);
    await expect(selectedRows(page)).toHaveClass(/free/);
    await expect(details).toContainText('free');
    await expect(details).toContainText('0x000000000000 –');
  });

  test('details show a file offset in hex and THPeligible as a flag (issue 18.6)', async ({
    page,
    served,
  }) => {
    // A file mapping that does not start at the file's beginning, as /proc/PID/maps says.
    const line = readFileSync(`/proc/${helper.pid}/maps`, 'utf8')
      .split('\n')
      .map((l) => l.split(/\s+/))
      .find((f) => f.length >= 6 && f[5]!.startsWith('/') && /[1-9a-f]/.test(f[2]!));
    expect(line).toBeDefined();
    const [range, , offset] = line!;
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await page.getByLabel('Search regions').fill(range!.split('-')[0]!);
    const details = page.getByLabel('Region details');
    await expect(details).toContainText(padded(range!.split('-')[0]!));
    const field = (name: string) =>
      details
        .locator('dt', { hasText: new RegExp(`^${name}$`) })
        .locator('xpath=following-sibling::dd[1]');
    await expect(field('offset')).toHaveText(`0x${bare(offset!)}`);
    await expect(field('thpEligible')).toHaveText(/^(yes|no)$/);
    await expect(field('rss')).toHaveText(/ (B|KiB|MiB)$/);
  });
});
