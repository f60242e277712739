/**
 * Accessibility (issue 18.10): an axe-core scan of every view, light and dark, on real processes,
 * with no serious or critical violation; every control has a name; the region and process tables
 * are grids whose virtualized rows say where they are.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect, spawnSleeper, test } from './fixtures';
import { type RegionsProcess, startRegionsHelper } from '../test/linux/regionsHelper';

/** axe-core's browser build, run in the page through the DevTools protocol (the app's CSP allows no injected script tag). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** The serious and critical violations on the page as it is now, one line each. */
async function scan(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return (violations as Violation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) => `${v.impact} ${v.id} (${v.help}): ${n.target.join(' ')} ${n.failureSummary ?? ''}`,
      ),
    );
}

/** Buttons, links, inputs, selects and other widgets without an accessible name. */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector =
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="checkbox"], [role="tab"], [role="separator"][tabindex], [role="slider"], [role="switch"]';
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      if (el.closest('[aria-hidden="true"], [hidden]')) continue;
      const labelled =
        el.getAttribute('aria-label')?.trim() ||
        el.getAttribute('aria-labelledby') ||
        el.getAttribute('title')?.trim() ||
        (el instanceof HTMLInputElement ||
        el instanceof HTMLSelectElement ||
        el instanceof HTMLTextAreaElement
          ? el.labels?.length
          : 0) ||
        (!(el instanceof HTMLInputElement) && el.textContent?.trim());
      if (!labelled) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

async function check(page: Page, view: string): Promise<void> {
  expect(await scan(page), `${view}: axe`).toEqual([]);
  expect(await unnamedControls(page), `${view}: unnamed controls`).toEqual([]);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`accessibility, ${colorScheme}`, () => {
    test.use({ colorScheme });
    let helper: RegionsProcess;
    test.beforeAll(async () => {
      helper = await startRegionsHelper();
    });
    test.afterAll(() => void helper.child.kill('SIGKILL'));

    test('every view passes axe and names every control; tables are grids', async ({
      page,
      served,
    }) => {
      await page.goto(served.url);
      await expect(page.locator('tr[data-pid]').first()).toBeVisible();
      await check(page, 'processes');

      await page.goto(`${served.origin}/#/inspect?pid=${helper.pid}`);
      await expect(page.getByTestId('row-count')).toContainText('regions');
      // The region grid: rows numbered for a screen reader although only those on screen exist.
      const grid = page.getByRole('grid', { name: 'Regions' });
      const rowCount = Number(await grid.getAttribute('aria-rowcount'));
      expect(rowCount).toBeGreaterThan(10);
      await expect(grid.getByRole('row').first()).toHaveAttribute('aria-rowindex', '1');
      await expect(grid.getByRole('columnheader').nth(1)).toHaveAccessibleName('Address');
      await grid.focus();
      await page.keyboard.press('End');
      await expect(grid.locator('[role="row"][aria-rowindex]').last()).toHaveAttribute(
        'aria-rowindex',
        String(rowCount),
      );
      // A cell with text: a one-region row's expander cell is empty, so it has no size to show.
      await expect(
        grid.locator('[role="gridcell"]').filter({ hasText: /\S/ }).first(),
      ).toBeVisible();
      await page.getByLabel('Search regions').fill(helper.report.rw);
      await page.getByLabel('Search regions').press('Enter');
      await expect(page.getByLabel('Region details')).toBeVisible();
      await check(page, 'inspect');
      await page.getByText('Columns', { exact: true }).click();
      await check(page, 'inspect, column menu');
      await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: 'Treemap' }).click();
      await check(page, 'inspect, treemap');

      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('button', { name: 'Compare with previous' }).click();
      await expect(page.getByLabel('Compare snapshots')).toBeVisible();
      await check(page, 'compare');

      await page.goto(`${served.origin}/#/library`);
      await expect(page.locator('.library')).toBeVisible();
      await check(page, 'library');

      const sleeper = spawnSleeper();
      try {
        await page.goto(`${served.origin}/#/watch?pid=${sleeper.pid}`);
        const panel = page.locator(`article[data-pid="${sleeper.pid}"]`);
        await expect(panel).toHaveAttribute('data-status', 'live');
        await expect(panel.locator('path.timeline-line').first()).toHaveAttribute('d', /L/);
        await check(page, 'watch');
      } finally {
        sleeper.kill();
      }

      await page.goto(`${served.origin}/#/sandbox`);
      await expect(page.getByLabel('History')).toBeVisible();
      await expect(
        page.getByRole('img', { name: 'Working set and commit after each step' }),
      ).toBeVisible();
      await check(page, 'sandbox');
    });
  });
}
