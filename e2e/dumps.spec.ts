import { writeFileSync } from 'node:fs';
import { compileHelper } from '../test/helpers/compile';
import { buildMinidump } from '../test/support/dumpBuilders';
import { firstLine, spawnChild, stopAllChildren } from '../test/support/children';
import { gcore } from './dumpFiles';
import { expect, screenshot, test } from './fixtures';

test.afterAll(stopAllChildren);

test.describe('dumps: core files and minidumps open like snapshots', () => {
  test('a gcore core of a live process opens from the Open dialog, shows its origin, and compares with the live snapshot', async ({
    page,
    served,
  }, info) => {
    test.skip(process.platform !== 'linux', 'gcore and the helper are Linux');
    const data = info.outputPath('data.bin');
    writeFileSync(data, Buffer.alloc(5 * 4096, 7));
    const child = spawnChild(compileHelper('regions'), [data, compileHelper('zombie')]);
    await firstLine(child);
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/inspect?pid=${child.pid}`);
    await expect(page.getByTestId('row-count')).toContainText('regions');

    // No extension: the app knows a core by its first bytes.
    await page
      .getByLabel('Snapshot file')
      .setInputFiles(await gcore(child.pid!, info.outputPath('crash')));
    await expect(page).toHaveURL(/#\/file\?id=\d+/);
    const origin = page.getByTestId('origin');
    await expect(origin).toContainText('Linux core file');
    await expect(origin).toContainText(`(pid ${child.pid})`);
    await expect(page.getByTestId('origin-captured')).toContainText('NT_FILE');
    await expect(page.getByTestId('origin-missing')).toContainText('working set');
    await expect(page.getByTestId('row-count')).toContainText('regions');
    await screenshot(page, 'core-file');

    // The same process, live and from its core: Compare works across the two.
    await page.getByRole('button', { name: 'Compare with previous' }).click();
    await expect(page).toHaveURL(/#\/compare\?before=\d+&after=\d+/);
    await expect(page.getByTestId('diff-counts')).toContainText('unchanged');
  });

  test('a minidump opens from the Open dialog, with what it lacks listed', async ({
    page,
    served,
  }, info) => {
    const path = info.outputPath('app-crash.dmp');
    writeFileSync(
      path,
      buildMinidump({
        pid: 4711,
        modules: [{ base: 0x140000000n, size: 0x20000, path: 'C:\\Program Files\\App\\app.exe' }],
        memory: [{ address: 0x7ff000n, bytes: Buffer.alloc(0x2000, 5) }],
      }),
    );
    await page.goto(served.url);
    await page.getByLabel('Snapshot file').setInputFiles(path);
    await expect(page).toHaveURL(/#\/file\?id=\d+/);
    const origin = page.getByTestId('origin');
    await expect(origin).toContainText('Windows minidump');
    await expect(origin).toContainText('app.exe (pid 4711)');
    await expect(page.getByTestId('origin-captured')).toContainText('ModuleListStream');
    await expect(page.getByTestId('origin-missing')).toContainText('MemoryInfoListStream');
    await expect(page.getByTestId('row-count')).toContainText('2 regions');
    // A dump does not record the working set: the table, summary and details say so, not 0 B.
    const unknown = page.getByTestId('ws-unknown');
    await expect(page.locator('.rt-row').getByTestId('ws-unknown').first()).toHaveText('unknown');
    await expect(page.getByLabel('Sums by kind').getByTestId('ws-unknown').first()).toHaveText(
      'unknown',
    );
    await expect(unknown.first()).toHaveAttribute('title', /working set/);
    await page.locator('.rt-row[data-base]').first().click();
    await expect(page.getByLabel('Region details').getByTestId('ws-unknown')).toHaveText('unknown');
    await expect(page.getByLabel('Region details')).not.toContainText('0 B total');
    await screenshot(page, 'minidump-file');
  });

  test('Compare of a dump with itself says no region changed', async ({ page, served }, info) => {
    const bytes = buildMinidump({
      pid: 4712,
      modules: [{ base: 0x140000000n, size: 0x20000, path: 'C:\\App\\same.exe' }],
      memory: [{ address: 0x7ff000n, bytes: Buffer.alloc(0x2000, 5) }],
    });
    await page.goto(served.url);
    const ids: string[] = [];
    // The same dump under two names: two snapshots of one moment.
    for (const name of ['same-1.dmp', 'same-2.dmp']) {
      const path = info.outputPath(name);
      writeFileSync(path, bytes);
      await page.getByLabel('Snapshot file', { exact: true }).setInputFiles(path);
      await expect(page.getByRole('region', { name: `Snapshot file ${name}` })).toBeVisible();
      ids.push(/id=(\d+)/.exec(page.url())![1]!);
    }
    expect(ids[0]).not.toBe(ids[1]);
    await page.evaluate(([a, b]) => (location.hash = `#/compare?before=${a}&after=${b}`), ids);
    const table = page.getByRole('table', { name: 'Changed regions' });
    await expect(table.getByTestId('no-changes')).toHaveText(
      'No region changed: the two snapshots have the same regions.',
    );
  });
});
