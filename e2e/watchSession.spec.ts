import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, spawnSleeper, test } from './fixtures';

/** The time of the oldest sample the view holds, from its CSV export (column 2, ISO time). */
async function oldestSampleTime(page: Page): Promise<number> {
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const rows = readFileSync(await csv.path())
    .toString()
    .trim()
    .split(/\r?\n/);
  const time = Date.parse(rows[1]!.split(',')[1]!);
  expect(time).toBeGreaterThan(0);
  return time;
}

test('a watch keeps its samples, zoom and verdict across leaving the view, and a reload re-attaches to the history', async ({
  page,
  served,
}) => {
  const child = spawnSleeper();
  try {
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/watch?pid=${child.pid}`);
    const panel = page.locator(`article[data-pid="${child.pid}"]`);
    const samples = async (): Promise<number> => Number(await panel.getAttribute('data-samples'));
    await expect(panel).toHaveAttribute('data-status', 'live');
    await page.getByLabel('Sampling interval').selectOption('100');
    // Enough data for a verdict (10 s of samples), whatever the verdict is.
    await expect(panel.locator('.watch-trend')).not.toHaveAttribute(
      'data-verdict',
      'insufficient-data',
      { timeout: 30_000 },
    );
    const verdictKind = await panel.locator('.watch-trend').getAttribute('data-verdict');

    // Zoom into the middle of the memory chart.
    const memoryChart = panel.locator('figure.timeline').first();
    const box = (await memoryChart.locator('rect.timeline-pointer').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
    const oldest = await oldestSampleTime(page);
    const n = await samples();
    expect(n).toBeGreaterThan(50);

    // To Processes and back: nothing starts over.
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Processes' })
      .click();
    await expect(panel).toHaveCount(0);
    await page.goBack();
    await expect(panel).toHaveAttribute('data-status', 'live');
    expect(await samples()).toBeGreaterThanOrEqual(n);
    await expect(panel.locator('.watch-trend')).toHaveAttribute('data-verdict', verdictKind!);
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
    await expect(page.getByLabel('Sampling interval')).toHaveValue('100');
    expect(await oldestSampleTime(page)).toBe(oldest);

    // A reload: the page resubscribes and the service's first batch replays the past, so the
    // chart begins where it began before (a fresh start could hold nothing older than the reload).
    await page.reload();
    await expect(panel).toHaveAttribute('data-status', 'live');
    await expect.poll(samples).toBeGreaterThanOrEqual(n);
    expect(await oldestSampleTime(page)).toBe(oldest);
    await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
    await expect(page.getByLabel('Sampling interval')).toHaveValue('100');
    await expect(panel.locator('.watch-trend')).toHaveAttribute('data-verdict', verdictKind!);

    // The process exits: the view says so.
    child.kill('SIGKILL');
    await expect(panel).toHaveAttribute('data-status', 'exited', { timeout: 10_000 });
    await expect(panel).toContainText(`Process ${child.pid} has exited`);

    // Stop watching forgets the session: the next visit starts afresh.
    await page.getByRole('button', { name: 'Stop watching' }).click();
    await expect(page).toHaveURL(new RegExp(`${served.origin}/#/$`));
    expect(await page.evaluate(() => sessionStorage.getItem('vmscope.watch'))).toBe('[]');
  } finally {
    child.kill('SIGKILL');
  }
});
