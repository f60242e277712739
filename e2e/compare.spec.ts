import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { compileHelper } from '../test/helpers/compile';
import { expect, screenshot, test } from './fixtures';

test.describe('compare: regions matched by mapping, not base address', () => {
  test.skip(process.platform !== 'linux', 'the growing mapping is a Linux helper');

  test('shows a mapping the kernel merged into its neighbour as one row that grew', async ({
    page,
    served,
  }) => {
    // 44 MiB mapped; on SIGUSR1, 20 MiB more right below it, merged by the kernel into one region.
    const child = spawn(compileHelper('growmap'), [], { stdio: ['ignore', 'pipe', 'ignore'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    try {
      const upper = /^ready (0x[0-9a-f]+)$/.exec(String((await lines.next()).value))![1]!;
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/inspect?pid=${child.pid}`);
      await expect(page.getByTestId('row-count')).toContainText('regions');

      child.kill('SIGUSR1');
      const lower = /^grown (0x[0-9a-f]+)$/.exec(String((await lines.next()).value))![1]!;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('button', { name: 'Compare with previous' }).click();
      await expect(page).toHaveURL(/#\/compare\?before=\d+&after=\d+/);

      const rows = page.getByRole('table', { name: 'Changed regions' }).locator('tbody tr');
      const grew = rows.and(page.locator(`[data-base="${lower}"]`));
      await expect(grew).toHaveAttribute('data-category', 'grew');
      const cells = grew.locator('td');
      await expect(cells.nth(0)).toHaveText('grew');
      await expect(cells.nth(3)).toHaveText('64.0 MiB');
      await expect(cells.nth(4)).toHaveText('+20.0 MiB');
      // The old base is neither removed nor anywhere else in the list.
      await expect(rows.and(page.locator(`[data-base="${upper}"]`))).toHaveCount(0);
      await expect(rows.and(page.locator('[data-category="removed"]'))).toHaveCount(0);
      await expect(page.getByTestId('diff-counts')).toContainText('1 grew');
      await screenshot(page, 'compare-grew');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
