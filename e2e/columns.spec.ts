/**
 * The region table's columns (issue 18.2): the defaults fit at 1024 px, Pss and Swap on Linux
 * match smaps, and columns are shown, hidden, moved and resized, kept per source across reloads;
 * a damaged stored value gives the defaults.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { type RegionsProcess, startRegionsHelper } from '../test/linux/regionsHelper';

const DEFAULTS = [
  'Address',
  'Kind',
  'Size',
  'Committed',
  'WS total',
  'Protection',
  'State',
  'Details',
];
const STORE = 'vmscope.regionColumns.linux';

const headers = (page: Page) =>
  page.locator('.rt-head [role="columnheader"] > button').allTextContents();
const labels = async (page: Page) => (await headers(page)).map((h) => h.replace(/\s*[▲▼]$/, ''));

/** smaps' field (in kB) of the mapping that starts at `address`, in bytes. */
function smapsField(pid: number, address: string, field: string): number {
  const start = address.replace(/^0x/, '').replace(/^0+/, '');
  const blocks = readFileSync(`/proc/${pid}/smaps`, 'utf8').split(/\n(?=[0-9a-f]+-)/);
  const block = blocks.find((b) => b.startsWith(`${start}-`))!;
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(block)![1]) * 1024;
}

test.describe('region table columns', () => {
  test.use({ viewport: { width: 1024, height: 700 } });
  let helper: RegionsProcess;
  test.beforeAll(async () => {
    helper = await startRegionsHelper();
  });
  test.afterAll(() => void helper.child.kill('SIGKILL'));

  const open = async (page: Page, origin: string) => {
    await page.goto(`${origin}/#/inspect?pid=${helper.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
  };

  test('fit at 1024 px; shown, hidden, moved, resized and kept per source', async ({
    page,
    served,
  }) => {
    await page.goto(served.url);
    await open(page, served.origin);
    expect(await labels(page)).toEqual(DEFAULTS);
    const header = (name: string) =>
      page.locator('.rt-head [role="columnheader"]', { hasText: name }).locator('button');
    // Every default column lies inside the table's box: no sideways scrolling to reach Details.
    const table = page.locator('.region-table');
    const fit = await table.evaluate((t) => {
      const box = t.getBoundingClientRect();
      const heads = [...t.querySelectorAll('.rt-head [role="columnheader"]')].map((h) =>
        Math.round(h.getBoundingClientRect().right),
      );
      return { overflow: t.scrollWidth - t.clientWidth, right: Math.round(box.right), heads };
    });
    expect(fit.overflow).toBeLessThanOrEqual(0);
    for (const right of fit.heads) expect(right).toBeLessThanOrEqual(fit.right);
    // No header is cut short.
    const clipped = await page
      .locator('.rt-head [role="columnheader"] > button')
      .evaluateAll((bs) =>
        bs.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent),
      );
    expect(clipped).toEqual([]);
    // Nor when sorted (the arrow sits in the padding), nor is any address cut, an allocation's
    // inferred mark and a region's indent included.
    await header('WS total').click();
    await header('Committed').click();
    const clippedCells = () =>
      page
        .locator(
          '.rt-head [role="columnheader"] > button, .rt-row:not(.rt-head) > [role="gridcell"]:nth-child(-n+3)',
        )
        .evaluateAll((els) =>
          els.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent),
        );
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect(page.locator('.rt-row.rt-child').first()).toBeVisible();
    expect(await clippedCells()).toEqual([]);
    await header('Address').click();

    // Pss and Swap from the column menu; the read-write region's Pss is smaps' own.
    await page.getByText('Columns', { exact: true }).click();
    const menu = page.getByRole('group', { name: 'Region table columns' });
    await menu.getByRole('checkbox', { name: 'Pss', exact: true }).check();
    await menu.getByRole('checkbox', { name: 'Swap', exact: true }).check();
    await menu.getByRole('checkbox', { name: 'State', exact: true }).uncheck();
    await menu.getByRole('button', { name: 'Move Size earlier' }).click();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    expect(await labels(page)).toEqual([
      'Address',
      'Size',
      'Kind',
      'Committed',
      'WS total',
      'Pss',
      'Swap',
      'Protection',
      'Details',
    ]);
    const search = page.getByLabel('Search regions');
    await search.fill(helper.report.rw);
    await search.press('Enter');
    const row = page.locator('.rt-row[aria-selected="true"]');
    const pss = smapsField(helper.pid, helper.report.rw, 'Pss');
    expect(pss).toBe(helper.report.rwSize);
    await expect(row.locator('[role="gridcell"]').nth(6)).toHaveAttribute(
      'title',
      `${pss.toLocaleString('en-US')} bytes`,
    );
    await expect(row.locator('[role="gridcell"]').nth(7)).toHaveText('0 B');

    // Drag Protection's header onto Kind's: Protection goes where Kind was.
    await header('Protection').dragTo(header('Kind'));
    expect((await labels(page)).slice(0, 4)).toEqual(['Address', 'Size', 'Protection', 'Kind']);

    // Resize Kind by keyboard (the handle is a focusable separator) and by mouse.
    const kind = page.getByRole('separator', { name: 'Resize Kind' });
    const before = Number(await kind.getAttribute('aria-valuenow'));
    await kind.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(kind).toHaveAttribute('aria-valuenow', String(before + 20));
    const box = (await kind.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect(kind).toHaveAttribute('aria-valuenow', String(before + 50));
    const kindCell = page.locator('.rt-head [role="columnheader"]', { hasText: 'Kind' });
    expect(Math.round((await kindCell.boundingBox())!.width)).toBe(before + 50);
    await screenshot(page, 'columns-arranged');

    // Kept for Linux snapshots across a reload, small and versioned.
    await page.reload();
    await expect(page.getByTestId('row-count')).toContainText('regions');
    expect(await labels(page)).toEqual([
      'Address',
      'Size',
      'Protection',
      'Kind',
      'Committed',
      'WS total',
      'Pss',
      'Swap',
      'Details',
    ]);
    await expect(page.getByRole('separator', { name: 'Resize Kind' })).toHaveAttribute(
      'aria-valuenow',
      String(before + 50),
    );
    const stored = await page.evaluate((key) => localStorage.getItem(key), STORE);
    expect(JSON.parse(stored!)).toMatchObject({ v: 1, widths: { kind: before + 50 } });
    expect(stored!.length).toBeLessThan(400);

    // A damaged value is not fatal: the defaults.
    await page.evaluate((key) => localStorage.setItem(key, '{"v":1,"order":[3'), STORE);
    await page.reload();
    await expect(page.getByTestId('row-count')).toContainText('regions');
    expect(await labels(page)).toEqual(DEFAULTS);
    await page.evaluate(
      (key) =>
        localStorage.setItem(
          key,
          JSON.stringify({ v: 1, order: [], hidden: [], widths: { kind: 5 } }),
        ),
      STORE,
    );
    await page.reload();
    await expect(page.getByTestId('row-count')).toContainText('regions');
    expect(await labels(page)).toEqual(DEFAULTS);

    // Reset in the menu brings the defaults back and forgets the stored layout.
    await page.getByText('Columns', { exact: true }).click();
    await menu.getByRole('checkbox', { name: 'Blocks', exact: true }).check();
    await expect(
      page.getByRole('grid', { name: 'Regions' }).getByRole('columnheader', { name: 'Blocks' }),
    ).toBeVisible();
    await menu.getByRole('button', { name: 'Reset columns' }).click();
    expect(await labels(page)).toEqual(DEFAULTS);
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), STORE)).toBeNull();
  });
});
