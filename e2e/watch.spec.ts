import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, screenshot, spawnSleeper, test } from './fixtures';

/** The sampler tests' allocator: 2 MiB every 300 ms, 40 times, once it gets SIGUSR2. */
function spawnAllocator(): ChildProcess {
  return spawn(process.execPath, [resolve('test/sampler/allocator.mjs'), '2', '300', '40', '120000', 'on-signal'], {
    stdio: 'ignore',
  });
}

const bytes = (text: string | null): number => {
  const m = /([\d.]+) (B|KiB|MiB|GiB)/.exec(text ?? '');
  if (!m) return Number.NaN;
  return Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB'].indexOf(m[2]!);
};

test.describe('live working-set charts', () => {
  test('the chart of a spawned process updates, flags its leak, pauses, zooms, exports, and ends when it exits', async ({ page, served }) => {
    const child = spawnAllocator();
    try {
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/watch?pid=${child.pid}`);
      const panel = page.locator(`article[data-pid="${child.pid}"]`);
      await expect(panel).toHaveAttribute('data-status', 'live');
      await page.getByLabel('Sampling interval').selectOption('250');

      const workingSet = panel.locator('[data-field="workingSet"]');
      await expect(workingSet).toHaveText(/\d/);
      const before = bytes(await workingSet.textContent());
      const line = panel.locator('figure.timeline').first().locator('.recharts-line path.recharts-curve').first();
      await expect(line).toHaveAttribute('d', /L/);
      const dBefore = await line.getAttribute('d');
      child.kill('SIGUSR2');

      // The process grows: the number, the sample count and the drawn line all move.
      await expect.poll(async () => bytes(await workingSet.textContent()) - before, { timeout: 20_000 }).toBeGreaterThan(16 * 1024 ** 2);
      await expect.poll(() => line.getAttribute('d')).not.toBe(dBefore);
      await expect.poll(async () => Number(await panel.getAttribute('data-samples'))).toBeGreaterThan(20);
      await expect(page.locator(`.watch-leak[data-pid="${child.pid}"]`)).toContainText(/grow steadily at [\d.]+ MB\/min since/, {
        timeout: 30_000,
      });
      await screenshot(page, 'watch-leak');

      // Paused, the drawing stands still while samples keep coming.
      await page.getByRole('button', { name: 'Pause' }).click();
      const frozen = await line.getAttribute('d');
      const samplesAtPause = Number(await panel.getAttribute('data-samples'));
      await expect.poll(async () => Number(await panel.getAttribute('data-samples'))).toBeGreaterThan(samplesAtPause + 3);
      expect(await line.getAttribute('d')).toBe(frozen);
      await page.getByRole('button', { name: 'Resume live' }).click();
      await expect.poll(() => line.getAttribute('d')).not.toBe(frozen);

      // Each series can be hidden.
      const memoryLines = panel.locator('figure.timeline').first().locator('.recharts-line');
      const shown = await memoryLines.count();
      await page.getByRole('checkbox', { name: 'Peak working set' }).uncheck();
      await expect(memoryLines).toHaveCount(shown - 1);

      // Drag across the chart to zoom; reset brings the whole series back.
      const chart = panel.locator('figure.timeline').first().locator('.recharts-surface');
      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
      await page.getByRole('button', { name: 'Reset zoom' }).click();
      await expect(page.getByRole('button', { name: 'Reset zoom' })).toHaveCount(0);

      // Exports: the series as CSV and the charts as PNG.
      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(csv.suggestedFilename()).toMatch(new RegExp(`^vmscope-watch-${child.pid}-.*\\.csv$`));
      const csvLines = readFileSync(await csv.path()).toString().trim().split(/\r?\n/);
      expect(csvLines[0]).toMatch(/^pid,time,workingSetSize,/);
      expect(csvLines.length).toBeGreaterThan(20);
      expect(csvLines[1]).toMatch(new RegExp(`^${child.pid},`));
      const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
      const image = readFileSync(await png.path());
      expect(image.subarray(1, 4).toString()).toBe('PNG');
      expect(image.length).toBeGreaterThan(5_000);

      // The process exits: the stream ends and the view says so.
      child.kill('SIGKILL');
      await expect(panel).toHaveAttribute('data-status', 'exited', { timeout: 10_000 });
      await expect(panel).toContainText(`Process ${child.pid} has exited`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('several processes share one chart for comparison', async ({ page, served }) => {
    const a = spawnSleeper();
    const b = spawnSleeper();
    try {
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/watch?pid=${a.pid},${b.pid}`);
      await expect(page.locator('article.watch-process')).toHaveCount(2);
      await expect(page.locator(`article[data-pid="${b.pid}"]`)).toHaveAttribute('data-status', 'live');
      await page.getByLabel('Layout').selectOption('overlay');
      const chart = page.locator('figure.timeline');
      await expect(chart).toHaveCount(1);
      await expect(chart.locator('.recharts-line')).toHaveCount(2);
      await expect(chart.locator('.recharts-line path.recharts-curve').nth(1)).toHaveAttribute('d', /L/);
      await screenshot(page, 'watch-overlay');
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
    }
  });
});
