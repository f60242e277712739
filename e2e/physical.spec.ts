/**
 * The Physical memory view shows exactly the simulated machine's `machine.view` (what
 * `vmscope machine --json` prints): with the machine's clock paused, every figure of its three
 * tabs matches the JSON the host returns for the same call.
 */
import type { Page } from '@playwright/test';
import type { MachineView } from '../src/shared/machineView';
import { expect, screenshot, test } from './fixtures';

async function machineJson(page: Page, origin: string): Promise<MachineView> {
  const response = await page.request.post(`${origin}/api/call`, {
    data: { method: 'machine.view', input: {} },
  });
  const body = (await response.json()) as { ok: boolean; value: MachineView };
  expect(body.ok).toBe(true);
  return body.value;
}

const bytesOf = (page: Page, row: string, column: number) =>
  page.locator(`${row} td[data-bytes]`).nth(column).getAttribute('data-bytes');

test.describe('the physical memory view', () => {
  test('its Use Counts, Page Lists and Processes tabs match machine.view, and it is linked from the sandbox and watch views', async ({
    page,
    served,
  }) => {
    await page.goto(`${served.url}#/sandbox`);
    await page.getByRole('link', { name: 'physical memory' }).click();
    await expect(page).toHaveURL(/#\/physical$/);
    await expect(page.getByTestId('physical-summary')).toContainText('RAM');
    // Stop the machine so the view and the JSON describe the same moment.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
    const json = await machineJson(page, served.origin);
    const uses = {
      processPrivate: json.byUse.processPrivate,
      mappedFile: json.byUse.mappedFile,
      shareable: json.byUse.shareable,
    };
    for (const [use, bytes] of Object.entries(uses)) {
      const row = `[data-use="${use}"]`;
      await expect.poll(() => bytesOf(page, row, 1)).toBe(String(bytes.active));
      expect(await bytesOf(page, row, 2)).toBe(String(bytes.standby));
      expect(await bytesOf(page, row, 3)).toBe(String(bytes.modified));
    }
    expect(await bytesOf(page, '[data-use="pageTable"]', 0)).toBe(String(json.byUse.pageTable));
    expect(await bytesOf(page, '[data-use="pagedPool"]', 0)).toBe(String(json.pools.paged));
    expect(await bytesOf(page, '[data-use="nonPagedPool"]', 0)).toBe(String(json.pools.nonPaged));
    await screenshot(page, 'physical-use-counts');

    await page.getByRole('tab', { name: 'Page Lists' }).click();
    for (const [list, bytes] of Object.entries(json.byList))
      expect(await bytesOf(page, `[data-list="${list}"]`, 0)).toBe(String(bytes));

    await page.getByRole('tab', { name: 'Processes' }).click();
    await expect(page.locator('[data-testid="processes"] tbody tr')).toHaveCount(
      json.processes.length,
    );
    for (const p of json.processes) {
      const row = `[data-pid="${p.pid}"]`;
      await expect(page.locator(row)).toContainText(p.name);
      expect(await bytesOf(page, row, 0)).toBe(String(p.private.active));
      expect(await bytesOf(page, row, 3)).toBe(String(p.pageTable));
    }
    const leaky = json.processes.find((p) => p.name === 'leakysvc.exe')!;

    // From a simulated process's Watch view, one click back here.
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.goto(`${served.url}#/watch?pid=${leaky.pid}&source=simulated`);
    await page.getByRole('button', { name: 'Physical memory' }).click();
    await expect(page).toHaveURL(/#\/physical$/);
    // Live: a running clock moves the machine's uptime between reads.
    const first = await page.getByTestId('physical-summary').textContent();
    await expect(page.getByTestId('physical-summary')).not.toHaveText(first!);
  });
});
