import { type ChildProcess, spawn } from 'node:child_process';
import type { Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, screenshot, spawnSleeper, test } from './fixtures';

/** The sampler tests' allocator: 2 MiB every 300 ms, 40 times, once it gets SIGUSR2. */
function spawnAllocator(): ChildProcess {
  return spawn(
    process.execPath,
    [resolve('test/sampler/allocator.mjs'), '2', '300', '40', '120000', 'on-signal'],
    {
      stdio: 'ignore',
    },
  );
}

const bytes = (text: string | null): number => {
  const m = /([\d.]+) (B|KiB|MiB|GiB)/.exec(text ?? '');
  if (!m) return Number.NaN;
  return Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB'].indexOf(m[2]!);
};

test.describe('live working-set charts', () => {
  test('the chart of a spawned process updates, flags its leak, pauses, zooms, exports, and ends when it exits', async ({
    page,
    served,
  }) => {
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
      const memoryChart = panel.locator('figure.timeline').first();
      const line = memoryChart.locator('path.timeline-line').first();
      await expect(line).toHaveAttribute('d', /L/);
      // The line layer lies exactly on recharts' plot area (its grid), so lines meet the axes.
      const grid = (await memoryChart.locator('.recharts-cartesian-grid').boundingBox())!;
      const pointer = (await memoryChart.locator('rect.timeline-pointer').boundingBox())!;
      for (const side of ['x', 'y', 'width', 'height'] as const)
        expect(Math.abs(grid[side] - pointer[side])).toBeLessThan(1.5);
      const dBefore = await line.getAttribute('d');
      child.kill('SIGUSR2');

      // The process grows: the number, the sample count and the drawn line all move.
      await expect
        .poll(async () => bytes(await workingSet.textContent()) - before, { timeout: 20_000 })
        .toBeGreaterThan(16 * 1024 ** 2);
      await expect.poll(() => line.getAttribute('d')).not.toBe(dBefore);
      await expect
        .poll(async () => Number(await panel.getAttribute('data-samples')))
        .toBeGreaterThan(20);
      // Every sample is a point while they are fewer than the plot's pixels (downsampling starts beyond).
      // Both read at once: a sample arriving between two reads would add a point to one only.
      const drawn = await line.evaluate((el) => ({
        points: Number(el.getAttribute('data-points')),
        d: el.getAttribute('d') ?? '',
      }));
      const points = drawn.points;
      expect(points).toBeGreaterThan(20);
      expect(points).toBeLessThanOrEqual(Number(await panel.getAttribute('data-samples')));
      expect(drawn.d.split('L').length).toBe(points);
      await expect(page.locator(`.watch-leak[data-pid="${child.pid}"]`)).toContainText(
        /grow steadily at [\d.]+ MiB\/min since/,
        {
          timeout: 30_000,
        },
      );
      // The y axis is in binary units at round binary steps (16, 32, 48 MiB; not 19.1, 38.1, 57.2).
      const ticks = (
        await memoryChart
          .locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')
          .allTextContents()
      ).map(bytes);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      const step = ticks[1]! - ticks[0]!;
      expect(Number.isInteger(Math.log2(step))).toBe(true);
      ticks.forEach((t, i) => expect(t).toBe(i * step));
      await screenshot(page, 'watch-leak');

      // Paused, the drawing stands still while samples keep coming.
      await page.getByRole('button', { name: 'Pause' }).click();
      const frozen = await line.getAttribute('d');
      const samplesAtPause = Number(await panel.getAttribute('data-samples'));
      await expect
        .poll(async () => Number(await panel.getAttribute('data-samples')))
        .toBeGreaterThan(samplesAtPause + 3);
      expect(await line.getAttribute('d')).toBe(frozen);
      await page.getByRole('button', { name: 'Resume live' }).click();
      await expect.poll(() => line.getAttribute('d')).not.toBe(frozen);

      // Hovering shows the values at that time on every chart of the view at once.
      const plotBox = (await memoryChart.locator('rect.timeline-pointer').boundingBox())!;
      await page.mouse.move(plotBox.x + plotBox.width * 0.5, plotBox.y + plotBox.height / 2);
      await expect(memoryChart.getByRole('tooltip')).toContainText(
        /Working set: [\d.]+ (B|KiB|MiB|GiB)/,
      );
      await expect(memoryChart.getByRole('tooltip')).toContainText(/\d\d:\d\d:\d\d/);
      await expect(panel.locator('figure.timeline').nth(1).getByRole('tooltip')).toContainText(
        /Soft faults\/s: /,
      );
      await screenshot(page, 'watch-tooltip');
      await page.mouse.move(0, 0);
      await expect(page.getByRole('tooltip')).toHaveCount(0);

      // Each series can be hidden.
      const memoryLines = memoryChart.locator('path.timeline-line');
      const shown = await memoryLines.count();
      await page.getByRole('checkbox', { name: 'Peak working set' }).uncheck();
      await expect(memoryLines).toHaveCount(shown - 1);

      // Drag across the chart to zoom; reset brings the whole series back.
      const box = (await memoryChart.locator('rect.timeline-pointer').boundingBox())!;
      const pointsBefore = Number(await memoryLines.first().getAttribute('data-points'));
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
      // The zoomed chart draws only the dragged range's samples: about a third of them.
      await expect
        .poll(async () => Number(await memoryLines.first().getAttribute('data-points')))
        .toBeLessThan(pointsBefore * 0.6);
      await page.getByRole('button', { name: 'Reset zoom' }).click();
      await expect
        .poll(async () => Number(await memoryLines.first().getAttribute('data-points')))
        .toBeGreaterThanOrEqual(pointsBefore);
      await expect(page.getByRole('button', { name: 'Reset zoom' })).toHaveCount(0);

      // Exports: the series as CSV and the charts as PNG.
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      expect(csv.suggestedFilename()).toMatch(new RegExp(`^vmscope-watch-${child.pid}-.*\\.csv$`));
      const csvLines = readFileSync(await csv.path())
        .toString()
        .trim()
        .split(/\r?\n/);
      expect(csvLines[0]).toMatch(/^pid,time,workingSetSize,/);
      expect(csvLines.length).toBeGreaterThan(20);
      expect(csvLines[1]).toMatch(new RegExp(`^${child.pid},`));
      const [png] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export PNG' }).click(),
      ]);
      const image = readFileSync(await png.path());
      expect(image.subarray(1, 4).toString()).toBe('PNG');
      expect(image.length).toBeGreaterThan(5_000);
      // The lines are in the picture, not only the axes: pixels of the working set's blue and
      // the private bytes' orange (recharts' frame has neither colour).
      const colours = await page.evaluate(async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        const near = (r: number, g: number, b: number): number => {
          let n = 0;
          for (let i = 0; i < data.length; i += 4)
            if (
              Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) <
              60
            )
              n++;
          return n;
        };
        return { workingSet: near(0x2f, 0x6f, 0xde), privateBytes: near(0xd9, 0x48, 0x0f) };
      }, image.toString('base64'));
      expect(colours.workingSet).toBeGreaterThan(100);
      expect(colours.privateBytes).toBeGreaterThan(100);

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
      await expect(page.locator(`article[data-pid="${b.pid}"]`)).toHaveAttribute(
        'data-status',
        'live',
      );
      await page.getByLabel('Layout').selectOption('overlay');
      const chart = page.locator('figure.timeline');
      await expect(chart).toHaveCount(1);
      await expect(chart.locator('path.timeline-line')).toHaveCount(2);
      await expect(chart.locator('path.timeline-line').nth(1)).toHaveAttribute('d', /L/);
      await expect(chart.locator('.timeline-legend li')).toHaveText([
        `PID ${a.pid}`,
        `PID ${b.pid}`,
      ]);
      await screenshot(page, 'watch-overlay');
    } finally {
      a.kill('SIGKILL');
      b.kill('SIGKILL');
    }
  });

  test('snapshots taken while watching are marked on the charts and open in Compare', async ({
    page,
    served,
  }) => {
    const child = spawnSleeper();
    try {
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/watch?pid=${child.pid}`);
      const panel = page.locator(`article[data-pid="${child.pid}"]`);
      await expect(panel).toHaveAttribute('data-status', 'live');
      await expect(page.getByRole('link', { name: 'Compare last two snapshots' })).toHaveCount(0);
      const take = page.getByRole('button', { name: 'Take snapshot' });
      await take.click();
      const memoryChart = panel.locator('figure.timeline').first();
      await expect(memoryChart.locator('.recharts-reference-line')).toHaveCount(1);
      await expect(memoryChart).toContainText(`(PID ${child.pid})`);
      // A second snapshot, later on the axis: two markers, and the two can be compared. Two more
      // samples mean at least one sampling interval has passed since the first.
      const samples = async () => Number(await panel.getAttribute('data-samples'));
      const atFirst = await samples();
      await expect.poll(samples).toBeGreaterThanOrEqual(atFirst + 2);
      await take.click();
      await expect(memoryChart.locator('.recharts-reference-line')).toHaveCount(2);
      const xs = await memoryChart
        .locator('.recharts-reference-line line')
        .evaluateAll((lines) => lines.map((l) => Number(l.getAttribute('x1'))));
      expect(xs[1]!).toBeGreaterThan(xs[0]!);
      await screenshot(page, 'watch-snapshot-markers');
      await page.getByRole('link', { name: 'Compare last two snapshots' }).click();
      await expect(page).toHaveURL(/#\/compare\?before=\d+&after=\d+/);
      const deltas = page.getByRole('table', { name: 'Deltas by kind' });
      await expect(deltas).toBeVisible();
      // A sleeper does not change: its zero deltas are sizes too ("0 B", never a bare "0").
      const sizeCells = deltas.locator('tbody tr td:nth-child(2)');
      await expect(sizeCells.first()).toHaveText(/B$/);
      expect(await sizeCells.allTextContents()).toContain('0 B');
      // Right-aligned numbers under right-aligned headers: the header's text ends where the column's numbers end.
      const rightOfText = (cell: Locator) =>
        cell.evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return range.getBoundingClientRect().right;
        });
      const header = await rightOfText(deltas.locator('thead th').nth(1).locator('.th-text'));
      const number = await rightOfText(sizeCells.first());
      expect(Math.abs(header - number)).toBeLessThan(1.5);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
