import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, spawnSleeper, test } from './fixtures';

test.describe('errors belong to the view that raised them (issue 18.7)', () => {
  test('a bad snapshot file is reported where it was opened, and cleared on leaving or fixing it', async ({
    page,
    served,
  }, info) => {
    const bad = info.outputPath('broken.json');
    writeFileSync(
      bad,
      JSON.stringify({ format: 'vmscope-snapshot', version: 1, takenAt: 'yesterday' }),
    );
    const sleeper = spawnSleeper();
    const good = info.outputPath('good.json');
    try {
      execFileSync(process.execPath, [
        resolve('bin/vmscope.mjs'),
        'snapshot',
        '--pid',
        String(sleeper.pid),
        '--out',
        good,
      ]);
    } finally {
      sleeper.kill('SIGKILL');
    }

    await page.goto(served.url);
    await expect(page.getByLabel('Filter processes')).toBeVisible();
    const file = page.getByLabel('Snapshot file');
    const banner = page.getByRole('alert').filter({ hasText: 'The file is not a valid snapshot' });

    // Raised on the process list, shown there.
    await file.setInputFiles(bad);
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('broken.json');

    // Leaving the view clears it: not in the Sandbox, and not back on the process list either.
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Sandbox' })
      .click();
    await expect(page).toHaveURL(/#\/sandbox/);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Processes' })
      .click();
    await expect(page.getByLabel('Filter processes')).toBeVisible();
    await expect(banner).toHaveCount(0);

    // Raised in the Sandbox, it stays with the Sandbox until a good file fixes it.
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: 'Sandbox' })
      .click();
    await file.setInputFiles(bad);
    await expect(banner).toBeVisible();
    await file.setInputFiles(good);
    await expect(page).toHaveURL(/#\/file\?id=\d+/);
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
