import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, spawnSleeper, test } from './fixtures';

test.describe('the snapshot library', () => {
  test('keeps every snapshot of a real process across reloads: keep, rename, open, compare, delete', async ({
    page,
    served,
  }) => {
    const child = spawnSleeper();
    try {
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/inspect?pid=${child.pid}`);
      await expect(page.getByTestId('row-count')).toContainText('regions');
      // Every snapshot taken is kept automatically; "Keep in library" keeps it for good.
      const keep = page.getByRole('button', { name: /^Keep in library$/ });
      await keep.click();
      await expect(page.getByRole('button', { name: 'Saved to library' })).toBeDisabled();
      // A refreshed snapshot is kept automatically too, and is evictable until kept.
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect(page.getByRole('button', { name: /^Keep in library$/ })).toBeEnabled();
      // The host is shared with other spec files, whose snapshots are kept too: count this pid's.
      // The autosave writes when the page is idle, so poll until this pid's two entries are
      // there. Other specs' saves may still be in flight on the shared host (a temporary file
      // for as long as the disk takes to flush it): they are not this test's to wait for.
      const folder = join(served.dataDir, 'snapshots');
      const ofThisPid = (f: string): boolean => {
        try {
          const meta = JSON.parse(readFileSync(join(folder, f), 'utf8')) as {
            process: { pid: number };
          };
          return meta.process.pid === child.pid;
        } catch {
          return false; // evicted between the listing and the read
        }
      };
      await expect
        .poll(() => readdirSync(folder).filter((f) => f.endsWith('.meta.json') && ofThisPid(f)))
        .toHaveLength(2);

      // A reload forgets the window's snapshots; the library does not.
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      await expect(page).toHaveURL(/#\/library$/);
      await page.reload();
      // This pid's entries by their Process cell (every row's Compare list names the others).
      const rows = page.locator('table[aria-label="Saved snapshots"] tbody tr', {
        has: page.getByRole('cell', { name: `sleep (${child.pid})`, exact: true }),
      });
      await expect(rows).toHaveCount(2);
      await expect(rows.first()).toContainText(`sleep (${child.pid})`);
      await expect(rows.first()).toContainText('automatic');
      await expect(rows.nth(1)).not.toContainText('automatic');
      await screenshot(page, 'library');

      // Rename the newer one.
      await rows
        .first()
        .getByRole('button', { name: /^Rename / })
        .click();
      const nameBox = page.getByRole('textbox', { name: /^New name for / });
      await nameBox.fill('sleep, after refresh');
      await nameBox.press('Enter');
      await expect(rows.first()).toContainText('sleep, after refresh');
      // Naming an entry keeps it: it is no longer automatic.
      await expect(rows.first()).not.toContainText('automatic');

      // Open it: the inspector's views on the saved snapshot, under its name.
      await page.getByRole('button', { name: 'Open sleep, after refresh' }).click();
      await expect(page).toHaveURL(/#\/file\?id=\d+/);
      await expect(page.locator('.file-origin')).toContainText('sleep, after refresh');
      await expect(page.getByTestId('row-count')).toContainText('regions');

      // Compare the two.
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      await page
        .getByRole('combobox', { name: 'Compare sleep, after refresh with…' })
        .selectOption({ index: 1 });
      await expect(page).toHaveURL(/#\/compare\?before=\d+&after=\d+/);
      await expect(page.getByTestId('diff-counts')).toBeVisible();

      // A damaged file is reported and skipped; delete one entry; a reload still shows the rest.
      writeFileSync(join(served.dataDir, 'snapshots', 'ffffffffffffffff.meta.json'), '{ not json');
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      await expect(
        page.getByRole('alert').filter({ hasText: 'ffffffffffffffff.meta.json is not JSON' }),
      ).toBeVisible();
      await rows.first().getByRole('button', { name: 'Delete sleep, after refresh' }).click();
      await rows.first().getByRole('button', { name: 'Delete for good' }).click();
      await expect(rows).toHaveCount(1);
      await page.reload();
      await expect(rows).toHaveCount(1);
      await expect(rows.first()).not.toContainText('sleep, after refresh');

      // With automatic keeping off (remembered across a reload), a snapshot taken in Watch is
      // offered for saving until it is saved.
      const autosave = page.getByRole('checkbox', { name: 'Keep every snapshot taken or opened' });
      await autosave.uncheck();
      await page.reload();
      await expect(autosave).not.toBeChecked();
      await page.goto(`${served.origin}/#/watch?pid=${child.pid}`);
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      await expect(page.getByRole('button', { name: 'Take snapshot' })).toBeEnabled();
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      const unsaved = page.getByRole('region', { name: 'Snapshots in this window' });
      await expect(unsaved).toContainText(`sleep (${child.pid})`);
      await expect(rows).toHaveCount(1);
      await unsaved.getByRole('button', { name: 'Save to library' }).click();
      await expect(rows).toHaveCount(2);
      await expect(unsaved).toHaveCount(0);

      // Back on, the next one is kept by itself.
      await autosave.check();
      await page.goto(`${served.origin}/#/watch?pid=${child.pid}`);
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      await expect(page.getByRole('button', { name: 'Take snapshot' })).toBeEnabled();
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      await expect(rows).toHaveCount(3);
      await expect(rows.first()).toContainText('automatic');
      await rows
        .first()
        .getByRole('button', { name: /for good$/ })
        .click();
      await expect(rows.first()).not.toContainText('automatic');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
