/**
 * The smallest screen we support, 1024×700: every view saved as a screenshot (for a person to
 * look at) and checked for a page or pane wider than the window. Wide content scrolls inside its
 * own scroller (the region table, the charts); nothing else may push past the right edge.
 */
import type { Page } from '@playwright/test';
import { expect, screenshot, spawnSleeper, test } from './fixtures';
import { type RegionsProcess, startRegionsHelper } from '../test/linux/regionsHelper';

const SIZE = { width: 1024, height: 700 };
/** The main panes of every view: none may be wider than what it shows. */
const PANES = [
  '.app-header',
  'main',
  'main > section',
  '.snapshot-view',
  '.summary',
  '.address-map',
  '.table-toolbar',
  '.table-and-details',
  '.details',
  '.status-line',
  '.watch-view',
  '.compare',
  '.process-list',
];

/** Panes whose content is wider than their box, with both widths; empty when all fit. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate((selectors) => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth)
      out.push(`page: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const selector of selectors) {
      for (const el of document.querySelectorAll<HTMLElement>(selector)) {
        if (el.scrollWidth > el.clientWidth + 1)
          out.push(`${selector}: ${el.scrollWidth} > ${el.clientWidth}`);
        const box = el.getBoundingClientRect();
        if (box.right > root.clientWidth + 1)
          out.push(`${selector} ends at ${Math.round(box.right)} px`);
      }
    }
    return out;
  }, PANES);
}

async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, `small-${name}`);
  expect(await overflowing(page), name).toEqual([]);
}

test.describe('at 1024×700', () => {
  test.use({ viewport: SIZE });
  let helper: RegionsProcess;
  test.beforeAll(async () => {
    helper = await startRegionsHelper();
  });
  test.afterAll(() => void helper.child.kill('SIGKILL'));

  test('the process list and every inspector view fit', async ({ page, served }) => {
    await page.goto(served.url);
    await expect(page.locator('tr[data-pid]').first()).toBeVisible();
    await check(page, 'processes');

    await page.goto(`${served.origin}/#/inspect?pid=${helper.child.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await check(page, 'inspect');

    // A region selected: the details pane with its page strip.
    await page.getByLabel('Search regions').fill(helper.report.shared.replace(/^0x/, ''));
    await page.locator('.rt-row[data-base]').last().click();
    // Reachable: scrolled to (the view scrolls on a short screen), then wholly on screen.
    await page.getByTestId('page-counts').scrollIntoViewIfNeeded();
    await expect(page.getByTestId('page-counts')).toBeInViewport({ ratio: 1 });
    await check(page, 'inspect-details');

    await page.getByRole('tab', { name: 'Treemap' }).click();
    await check(page, 'inspect-treemap');

    // Compare: two snapshots of the same process.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: 'Compare with previous' }).click();
    await expect(page.getByLabel('Compare snapshots')).toBeVisible();
    await check(page, 'compare');
  });

  test('Watch and the Sandbox fit', async ({ page, served }) => {
    const sleeper = spawnSleeper();
    try {
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/watch?pid=${sleeper.pid}`);
      await expect(page.getByLabel('Watch')).toBeVisible();
      // A few samples on the chart, so its lines and axes are laid out as a user sees them.
      const panel = page.locator(`article[data-pid="${sleeper.pid}"]`);
      await expect
        .poll(async () => Number(await panel.getAttribute('data-samples')))
        .toBeGreaterThanOrEqual(3);
      await check(page, 'watch');
    } finally {
      sleeper.kill();
    }
    await page.goto(`${served.origin}/#/sandbox`);
    await expect(page.getByLabel('History')).toBeVisible();
    await check(page, 'sandbox');
  });
});
