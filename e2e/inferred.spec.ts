/**
 * Saying what is inferred (issue 18.5): Linux has no allocation base, so when vmscope groups an
 * independent PROT_NONE reservation with the read-write mapping above it, the table marks the
 * allocation, the details pane names the rule, and both exports carry it.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { compileHelper } from '../test/helpers/compile';
import { firstLine, spawnChild } from '../test/support/children';

interface Adjacent {
  reserve: string;
  reserveSize: number;
  rw: string;
  rwSize: number;
}

const bare = (hex: string) => `0x${hex.replace(/^0x/, '').replace(/^0+/, '')}`;

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return readFileSync((await file.path())!, 'utf8');
}

test.describe('an inferred allocation', () => {
  let child: ChildProcess;
  let maps: Adjacent;
  test.beforeAll(async () => {
    child = spawnChild(compileHelper('adjacent'), []);
    maps = JSON.parse(await firstLine(child)) as Adjacent;
  });
  test.afterAll(() => void child.kill('SIGKILL'));

  test('is marked in the table, explained in the details and carried by the exports', async ({
    page,
    served,
  }) => {
    // The two are separate mappings in the kernel's own list.
    const maps_ = readFileSync(`/proc/${child.pid}/maps`, 'utf8');
    expect(maps_).toMatch(new RegExp(`^${maps.reserve.replace(/^0x/, '')}-\\S+ ---p`, 'm'));
    expect(maps_).toMatch(new RegExp(`^${maps.rw.replace(/^0x/, '')}-\\S+ rw-p`, 'm'));

    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${child.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');

    // The allocation row: 80 MiB, grouped by vmscope, and marked so.
    const allocation = page.locator(`.rt-row.rt-alloc[data-base="${bare(maps.reserve)}"]`);
    await expect(allocation).toBeVisible();
    await expect(allocation.locator('[role="gridcell"]').nth(3)).toHaveText('80.0 MiB');
    const mark = allocation.locator('.inferred-mark');
    await expect(mark).toHaveText('≈ inferred allocation');
    await expect(mark).toHaveAttribute('title', /inferred by vmscope/);
    // A mapping that is an allocation of its own (the heap, the stack) has no mark.
    await expect(page.locator('.rt-row.rt-alloc:not(:has(button)) .inferred-mark')).toHaveCount(0);

    // The details of either region name the rule.
    const search = page.getByLabel('Search regions');
    await search.fill(maps.rw);
    await search.press('Enter');
    const details = page.getByLabel('Region details');
    await expect(details).toContainText('PAGE_READWRITE');
    await expect(page.getByTestId('inferred-by')).toContainText("vmscope's inference");
    await expect(page.getByTestId('inferred-by')).toContainText(
      'guard, a PROT_NONE mapping directly below an accessible one is taken as its guard',
    );
    await screenshot(page, 'inferred-allocation');

    // JSON: version 2, each region of the allocation says the rule; CSV: the last cell.
    const json = JSON.parse(await download(page, 'Export JSON')) as {
      version: number;
      regions: { base: string; allocationBase: string | null; allocationRule?: string }[];
    };
    expect(json.version).toBe(2);
    const grouped = json.regions.filter((r) => r.allocationBase === bare(maps.reserve));
    expect(grouped.map((r) => [r.base, r.allocationRule])).toEqual([
      [bare(maps.reserve), 'guard'],
      [bare(maps.rw), 'guard'],
    ]);
    const csv = (await download(page, 'Export CSV')).split('\r\n');
    expect(csv[0]).toMatch(/,path,allocationRule$/);
    expect(csv.find((l) => l.startsWith(`${bare(maps.reserve)},`))).toMatch(/,guard$/);
    expect(csv.find((l) => l.startsWith(`${bare(maps.rw)},`))).toMatch(/,guard$/);
  });
});
