import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, spawnSleeper, test } from './fixtures';

test.describe('the snapshot library', () => {
  test('keeps snapshots of a real process across reloads: rename, open, compare, delete', async ({
    page,
    served,
  }) => {
    const child = spawnSleeper();
    try {
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/inspect?pid=${child.pid}`);
      await expect(page.getByTestId('row-count')).toContainText('regions');
      const save = page.getByRole('button', { name: /^Save to library$/ });
      await save.click();
      await expect(page.getByRole('button', { name: 'Saved to library' })).toBeDisabled();
      // A refreshed snapshot can be saved too.
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await expect(page.getByRole('button', { name: /^Save to library$/ })).toBeEnabled();
      await page.getByRole('button', { name: /^Save to library$/ }).click();
      await expect(page.getByRole('button', { name: 'Saved to library' })).toBeVisible();
      const files = readdirSync(join(served.dataDir, 'snapshots'));
      expect(files.filter((f) => f.endsWith('.meta.json'))).toHaveLength(2);
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);

      // A reload forgets the window's snapshots; the library does not.
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      await expect(page).toHaveURL(/#\/library$/);
      await page.reload();
      const rows = page.locator('table[aria-label="Saved snapshots"] tbody tr');
      await expect(rows).toHaveCount(2);
      await expect(rows.first()).toContainText(`sleep (${child.pid})`);
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

      // A snapshot taken in Watch is offered for saving in the library until it is saved.
      await page.goto(`${served.origin}/#/watch?pid=${child.pid}`);
      await page.getByRole('button', { name: 'Take snapshot' }).click();
      await expect(page.getByRole('button', { name: 'Take snapshot' })).toBeEnabled();
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      const unsaved = page.getByRole('region', { name: 'Snapshots in this window' });
      await expect(unsaved).toContainText(`sleep (${child.pid})`);
      await unsaved.getByRole('button', { name: 'Save to library' }).click();
      await expect(rows).toHaveCount(2);
      await expect(unsaved).toHaveCount(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
