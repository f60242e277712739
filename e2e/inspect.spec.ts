import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import {
  type RegionsProcess,
  type RegionsReport,
  startRegionsHelper,
} from '../test/linux/regionsHelper';

const bare = (hex: string) => hex.replace(/^0x/, '').replace(/^0+/, '');
// An allocation's header row has the same base as its first region: the last match is the region itself.
const rowAt = (page: Page, address: string) =>
  page.locator(`.rt-row[data-base="0x${bare(address)}"]`).last();
const cell = (page: Page, address: string, column: number) =>
  rowAt(page, address).locator('[role="gridcell"]').nth(column);
// Grid cells in the default columns: 0 expander, 1 address, 2 kind, 3 size, 4 committed, 5 WS total, 6 protection, 7 state.

test.describe('the inspector on a process with known mappings', () => {
  let helper: RegionsProcess;
  let maps: RegionsReport;
  let fileName: string;
  test.beforeAll(async () => {
    helper = await startRegionsHelper();
    maps = helper.report;
    fileName = helper.dataFile.split('/').pop()!;
  });
  test.afterAll(() => void helper.child.kill('SIGKILL'));

  test('opens from the process list and shows each known region right', async ({
    page,
    served,
  }) => {
    const pid = helper.child.pid!;
    await page.goto(served.url);
    await page.getByLabel('Filter processes').fill(String(pid));
    await page.locator(`tr[data-pid="${pid}"]`).dblclick();
    await expect(page).toHaveURL(new RegExp(`#/inspect\\?pid=${pid}`));
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await screenshot(page, 'inspect-overview');
    await page.getByRole('button', { name: 'Expand all' }).click();

    const search = page.getByLabel('Search regions');
    // The touched read-write region: committed private data, fully in the working set.
    await search.fill(bare(maps.rw));
    await expect(cell(page, maps.rw, 2)).toHaveText('Private data');
    await expect(cell(page, maps.rw, 3)).toHaveText('64.0 KiB');
    await expect(cell(page, maps.rw, 5)).toHaveText('64.0 KiB');
    await expect(cell(page, maps.rw, 6)).toHaveText('PAGE_READWRITE');
    await expect(cell(page, maps.rw, 7)).toHaveText('committed');

    // The PROT_NONE reservation: reserved, no access, nothing committed.
    // The kernel may merge it with a neighbouring PROT_NONE mapping (a thread's guard page), so it
    // is at least the size asked for.
    await search.fill(`0x${bare(maps.reserve)}`);
    const exact = Number(
      (await cell(page, maps.reserve, 3).getAttribute('title'))?.replace(/\D/g, ''),
    );
    expect(exact).toBeGreaterThanOrEqual(maps.reserveSize);
    expect(exact).toBeLessThan(maps.reserveSize + 64 * 1024);
    await expect(cell(page, maps.reserve, 4)).toHaveText('0 B');
    await expect(cell(page, maps.reserve, 6)).toHaveText('PAGE_NOACCESS');
    await expect(cell(page, maps.reserve, 7)).toHaveText('reserved');

    // The read-only file mapping, found by its path.
    await search.fill(fileName);
    await expect(cell(page, maps.file, 2)).toHaveText('Mapped file');
    await expect(cell(page, maps.file, 3)).toHaveText(`${(maps.fileSize / 1024).toFixed(1)} KiB`);
    await expect(cell(page, maps.file, 6)).toHaveText('PAGE_READONLY');

    // Details of the selected region, with the raw Linux fields.
    await rowAt(page, maps.file).click();
    const details = page.getByLabel('Region details');
    await expect(details).toContainText(fileName);
    await expect(details).toContainText('r--p');
    await screenshot(page, 'inspect-details');
  });

  test('filters by kind from the summary, sorts, multi-selects and sums', async ({
    page,
    served,
  }) => {
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${helper.child.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await page.getByRole('button', { name: 'Expand all' }).click();

    // Clicking a kind in the summary filters the table to it.
    await page.locator('.summary-table tr[data-kind="stack"]').click();
    const kinds = page.locator('.rt-row:not(.rt-head) [role="gridcell"]:nth-child(3)');
    await expect(kinds.first()).toHaveText('Stack');
    expect(new Set(await kinds.allTextContents())).toEqual(new Set(['Stack']));
    await page.locator('.summary-table tr[data-kind="stack"]').click();

    // Private data only, largest first.
    await page.getByLabel('Kind filter').selectOption('privateData');
    await page.getByLabel('Hide free').check();
    await page.getByRole('button', { name: /^Size/ }).click();
    await expect(page.locator('.rt-head [role="columnheader"]').nth(3)).toHaveAttribute(
      'aria-sort',
      'descending',
    );

    // Select the 64 KiB region and the locked page with ctrl-click: the sum is 68 KiB.
    await rowAt(page, maps.rw).click();
    await rowAt(page, maps.locked).click({ modifiers: ['Control'] });
    await expect(page.getByTestId('selection-sum')).toContainText(
      '2 regions selected: size 68.0 KiB',
    );
    await screenshot(page, 'inspect-selection');

    // Keyboard: down moves the single selection; shift+down extends it.
    await rowAt(page, maps.rw).click();
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('.rt-row[aria-selected="true"]')).toHaveCount(1);
    await expect(rowAt(page, maps.rw)).toHaveAttribute('aria-selected', 'false');
    await page.keyboard.press('Shift+ArrowDown');
    await expect(page.locator('.rt-row[aria-selected="true"]')).toHaveCount(2);
  });

  test("shows the selected region's page states now: touched pages resident, untouched ones not", async ({
    page,
    served,
  }) => {
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${helper.child.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    const search = page.getByLabel('Search regions');
    const details = page.getByLabel('Region details');

    // The shared anonymous region: 8 pages, of which the helper wrote the first 3.
    await search.fill(bare(maps.shared));
    await rowAt(page, maps.shared).click();
    const pages = maps.sharedSize / maps.pageSize;
    const touched = maps.sharedTouched / maps.pageSize;
    await expect(details.getByTestId('page-counts')).toContainText(
      `${pages} pages: ${touched} resident`,
    );
    await expect(details.getByRole('img', { name: 'Page states' })).toBeVisible();
    await screenshot(page, 'inspect-pages');

    // The read-write region: every page touched, none shared.
    await search.fill(bare(maps.rw));
    await rowAt(page, maps.rw).click();
    await expect(details.getByTestId('page-counts')).toContainText(
      `${maps.rwSize / maps.pageSize} pages: ${maps.rwSize / maps.pageSize} resident · 0 shared`,
    );
    // What Linux cannot tell is said, not shown as zero.
    await expect(details.getByLabel('Not known here')).toContainText('dirty');
  });

  test('selecting on the map selects in the table, and the reverse', async ({ page, served }) => {
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${helper.child.pid}`);
    const map = page.getByTestId('address-map');
    await expect(map).toBeVisible();
    await expect(page.getByTestId('map-draw-ms')).toContainText('drawn in');

    // Click in the middle of the map: some region gets selected in the table and shown in details.
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width * 0.3, y: 8 } });
    const selectedRow = page.locator('.rt-row[aria-selected="true"]');
    await expect(selectedRow).toHaveCount(1);
    const base = (await selectedRow.getAttribute('data-base'))!;
    await expect(page.getByLabel('Region details')).toContainText(
      `0x${bare(base).padStart(12, '0')}`,
    );

    // Hovering shows a tooltip for the region under the pointer.
    await map.hover({ position: { x: box.width * 0.3, y: 8 } });
    await expect(page.getByRole('tooltip')).toBeVisible();

    // The reverse: a region chosen in the table is outlined on the map (the map redraws).
    await page.getByLabel('Search regions').fill(bare(maps.rw));
    await rowAt(page, maps.rw).click();
    await expect(page.getByLabel('Region details')).toContainText('PAGE_READWRITE');
    await screenshot(page, 'inspect-map');

    // Color by state and the linear scale redraw without error.
    await page.getByLabel('Map color').selectOption('state');
    await page.getByLabel('Map scale').selectOption('linear');
    await expect(page.getByTestId('map-draw-ms')).toContainText('drawn in');
  });

  test('says so in place when the process exits, and offers to pick another', async ({
    page,
    served,
  }) => {
    const doomed = await startRegionsHelper();
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${doomed.child.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    doomed.child.kill('SIGKILL');
    await new Promise((r) => doomed.child.once('exit', r));
    await page.keyboard.press('F5');
    const banner = page.getByRole('alert');
    await expect(banner).toContainText('The process has exited');
    // The last snapshot stays; its pages cannot be read any more, and the details pane says so.
    await page.getByLabel('Search regions').fill(bare(doomed.report.rw));
    await rowAt(page, doomed.report.rw).click();
    await expect(page.locator('.page-error[data-code="process-exited"]')).toContainText(
      `${doomed.child.pid}`,
    );
    await screenshot(page, 'inspect-exited');
    await banner.getByRole('button', { name: 'Pick another process' }).click();
    await expect(page.getByLabel('Filter processes')).toBeVisible();
  });
});

test.describe('the inspector on the simulated Windows machine', () => {
  test('lists the simulated processes and shows a Windows address space', async ({
    page,
    served,
  }) => {
    await page.goto(served.url);
    await page.getByLabel('Source').selectOption('simulated');
    const leaky = page.locator('tbody tr', { hasText: 'leakysvc.exe' });
    await expect(leaky).toBeVisible();
    await screenshot(page, 'simulated-processes');
    await leaky.dblclick();
    await expect(page).toHaveURL(/#\/inspect\?pid=\d+&source=simulated/);
    await expect(page.getByTestId('row-count')).toContainText('regions');

    // Windows kinds: images of the exe and its DLLs, the process heap, a thread stack, the 64 KiB granule tails.
    for (const kind of ['image', 'heap', 'stack', 'free']) {
      await expect(page.locator(`.summary-table tr[data-kind="${kind}"]`)).toBeVisible();
    }
    await page.getByLabel('Search regions').fill('leakysvc.exe');
    await expect(
      page.locator('.rt-row [role="gridcell"]:nth-child(3)', { hasText: 'Image' }).first(),
    ).toBeVisible();
    // What process start made: KUSER_SHARED_DATA, the PEB and the main thread's TEB, by name.
    for (const label of ['KUSER_SHARED_DATA', 'PEB', 'TEB of thread']) {
      await page.getByLabel('Search regions').fill(label);
      await expect(page.locator('.rt-row:not(.rt-head)', { hasText: label }).first()).toBeVisible();
    }
    await page.getByLabel('Search regions').fill('');
    await page.locator('.summary-table tr[data-kind="heap"]').click();
    await page.locator('.rt-row:not(.rt-head)').first().click();
    await expect(page.getByLabel('Region details')).toContainText('Heap');
    // The model knows every page: a heap in use has resident pages, and only soft-dirty is unknown.
    await expect(page.getByTestId('page-counts')).toContainText(
      /pages?: [1-9][\d,]* resident .* \d+ dirty · \? soft-dirty/,
    );
    await screenshot(page, 'simulated-inspect');

    // Its working set chart moves: the simulated workloads run on a clock.
    await page.getByRole('button', { name: /^Watch \d+/ }).click();
    const panel = page.locator('article[data-status="live"]');
    await expect(panel).toBeVisible();
    await expect
      .poll(async () => Number(await panel.getAttribute('data-samples')), { timeout: 20_000 })
      .toBeGreaterThan(2);
  });
});
