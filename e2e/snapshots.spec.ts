import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseSnapshotJson, snapshotToJson } from '../src/shared/snapshotJson';
import { SNAPSHOT_CSV_COLUMNS } from '../src/shared/snapshotCsv';
import { expect, screenshot, test } from './fixtures';

test.describe('snapshots: export, open again, compare', () => {
  test('exports JSON and CSV, reopens the JSON offline, and compares before and after', async ({
    page,
    served,
  }, info) => {
    // A process that allocates 8 × 4 MiB when told to.
    const child = spawn(
      process.execPath,
      [resolve('test/sampler/allocator.mjs'), '4', '50', '8', '120000', 'on-signal'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    try {
      expect((await lines.next()).value).toBe('ready');
      await page.goto(served.url);
      await page.goto(`${served.origin}/#/inspect?pid=${child.pid}`);
      await expect(page.getByTestId('row-count')).toContainText('regions');

      // Export JSON: a valid vmscope-snapshot of this process.
      const [json] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export JSON' }).click(),
      ]);
      expect(json.suggestedFilename()).toMatch(new RegExp(`^vmscope-node-${child.pid}-.*\\.json$`));
      const jsonPath = info.outputPath('before.json');
      await json.saveAs(jsonPath);
      const exported = parseSnapshotJson(readFileSync(jsonPath, 'utf8'));
      expect(exported.process.pid).toBe(child.pid);

      // Export CSV: the documented header, one row per region.
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      const csvPath = info.outputPath('before.csv');
      await csv.saveAs(csvPath);
      const csvLines = readFileSync(csvPath, 'utf8').trimEnd().split('\r\n');
      expect(csvLines[0]).toBe(SNAPSHOT_CSV_COLUMNS.join(','));
      expect(csvLines.length).toBe(exported.regions.length + 1);

      // The process grows; refresh; compare with the previous snapshot.
      child.kill('SIGUSR2');
      expect((await lines.next()).value).toBe('done 8');
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('button', { name: 'Compare with previous' }).click();
      await expect(page).toHaveURL(/#\/compare\?before=\d+&after=\d+/);
      await expect(page.getByTestId('diff-counts')).toContainText('changed');
      const totalWs = page
        .locator('table[aria-label="Deltas by kind"] tr[data-kind="total"] td')
        .nth(4);
      await expect(totalWs).toHaveText(/^\+\d/);
      await expect(
        page.locator('table[aria-label="Changed regions"] tbody tr').first(),
      ).toBeVisible();
      await screenshot(page, 'compare');

      // Open the exported file: every view works on it, marked as a file.
      await page.getByLabel('Snapshot file').setInputFiles(jsonPath);
      await expect(page).toHaveURL(/#\/file\?id=\d+/);
      await expect(page.locator('.file-origin')).toContainText('before.json');
      await expect(page.locator('.file-origin')).toContainText(`node (${child.pid})`);
      await expect(page.getByTestId('row-count')).toContainText(
        `${exported.regions.length} regions`,
      );
      await screenshot(page, 'file-view');
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('refuses a malformed file in place, saying what is wrong and where', async ({
    page,
    served,
  }, info) => {
    await page.goto(served.url);
    const bad = info.outputPath('broken.json');
    writeFileSync(
      bad,
      JSON.stringify({ format: 'vmscope-snapshot', version: 1, takenAt: 'yesterday' }),
    );
    await page.getByLabel('Snapshot file').setInputFiles(bad);
    const banner = page.getByRole('alert');
    await expect(banner).toContainText('The file is not a valid snapshot');
    await expect(banner).toContainText('broken.json');
    await expect(banner).toContainText('takenAt');
    // The app keeps working.
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await expect(page.getByLabel('Filter processes')).toBeVisible();
  });
});

test('opens a snapshot dropped on the window', async ({ page, served }, info) => {
  await page.goto(served.url);
  // A real snapshot file (this test runner's own process), dropped as a File through a DataTransfer.
  const path = info.outputPath('dropped.json');
  execFileSync(process.execPath, [
    resolve('bin/vmscope.mjs'),
    'snapshot',
    '--pid',
    String(process.pid),
    '--out',
    path,
  ]);
  const text = readFileSync(path, 'utf8');
  const dataTransfer = await page.evaluateHandle((json) => {
    const dt = new DataTransfer();
    dt.items.add(new File([json], 'dropped.json', { type: 'application/json' }));
    return dt;
  }, text);
  await page.dispatchEvent('.app', 'dragover', { dataTransfer });
  await expect(page.locator('.app.dropping')).toBeVisible();
  await page.dispatchEvent('.app', 'drop', { dataTransfer });
  await expect(page).toHaveURL(/#\/file\?id=\d+/);
  await expect(page.locator('.file-origin')).toContainText('dropped.json');
  await expect(page.getByTestId('row-count')).toContainText('regions');
});

test('says in the inspector, and in its CSV export, that a truncated snapshot stops short', async ({
  page,
  served,
}, info) => {
  await page.goto(served.url);
  const path = info.outputPath('truncated.json');
  execFileSync(process.execPath, [
    resolve('bin/vmscope.mjs'),
    'snapshot',
    '--pid',
    String(process.pid),
    '--out',
    path,
  ]);
  // A real snapshot cut as a walk that stopped early leaves it (the Windows source writes this field).
  const snapshot = parseSnapshotJson(readFileSync(path, 'utf8'));
  const kept = snapshot.regions.slice(0, 5);
  const at = `0x${(BigInt(kept.at(-1)!.base) + BigInt(kept.at(-1)!.size)).toString(16)}`;
  const reason = `VirtualQueryEx failed 3 times at ${at}: Windows error 5 (Access is denied).`;
  writeFileSync(path, snapshotToJson({ ...snapshot, regions: kept, truncated: { at, reason } }));
  await page.getByLabel('Snapshot file').setInputFiles(path);
  const banner = page.getByTestId('truncated');
  await expect(banner).toContainText(`could not be read from ${at} up`);
  await expect(banner).toContainText(reason);
  await expect(page.getByTestId('row-count')).toContainText('5 regions');

  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csvPath = info.outputPath('truncated.csv');
  await csv.saveAs(csvPath);
  expect(readFileSync(csvPath, 'utf8').trimEnd().split('\r\n').at(-1)).toBe(
    `# truncated at ${at}: ${reason}`,
  );
});
