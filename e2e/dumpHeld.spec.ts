import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatAddress } from '../src/shared/address';
import {
  ASCII_MARKER,
  type ContentsProcess,
  startContentsHelper,
} from '../test/contents/contentsHelper';
import { bare, contents, hexRow, rowAt } from './contentsLocators';
import { MINIDUMP_BASE, gcore, textMinidump } from './dumpFiles';
import { expect, screenshot, test } from './fixtures';

const MINIDUMP_TEXT = 'dropped on the page, read by slices';

/**
 * Dumps opened from the page itself (the Open dialog, a drop): the page holds the file, and the
 * contents panel reads it through the service by the ranges it asks for (docs/dumps.md).
 */
test.describe('the contents of dumps the page holds', () => {
  test('a gcore core picked in the Open dialog shows its bytes and finds a string', async ({
    page,
    served,
  }) => {
    test.skip(process.platform !== 'linux', 'gcore and the helper are Linux');
    let helper: ContentsProcess | null = null;
    try {
      helper = await startContentsHelper();
      const dir = mkdtempSync(join(tmpdir(), 'vmscope-e2e-held-'));
      const core = await gcore(helper.pid, join(dir, 'helper'));
      await page.goto(served.url);
      await page.getByLabel('Snapshot file').setInputFiles(core);
      await expect(page).toHaveURL(/#\/file\?id=\d+/);
      await expect(page.getByTestId('origin')).toContainText('Linux core file');
      await page.getByRole('button', { name: 'Expand all' }).click();
      await page.getByLabel('Search regions').fill(bare(helper.report.rw));
      await rowAt(page, helper.report.rw).click();
      const rw = BigInt(helper.report.rw);
      await expect(hexRow(page, rw + 0x100n)).toContainText('VMSCOPE-MARKER-A');

      await contents(page).getByRole('tab', { name: 'Search' }).click();
      const pane = page.getByLabel('Search memory');
      await pane.getByLabel('Pattern').fill(ASCII_MARKER);
      await pane.getByRole('button', { name: 'Search' }).click();
      await expect(pane.getByRole('status')).toContainText('Done');
      await expect(pane.getByRole('button', { name: formatAddress(rw + 0x100n) })).toBeVisible();
      await screenshot(page, 'held-core-contents');
    } finally {
      helper?.child.kill('SIGKILL');
    }
  });

  test('a minidump dropped on the window shows its bytes and its strings', async ({
    page,
    served,
  }, info) => {
    const path = info.outputPath('app.dmp');
    writeFileSync(path, textMinidump(MINIDUMP_TEXT));
    await page.goto(served.url);
    const dataTransfer = await page.evaluateHandle((base64) => {
      const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([raw], 'app.dmp'));
      return dt;
    }, readFileSync(path).toString('base64'));
    await page.dispatchEvent('.app', 'dragover', { dataTransfer });
    await page.dispatchEvent('.app', 'drop', { dataTransfer });
    await expect(page).toHaveURL(/#\/file\?id=\d+/);
    await expect(page.getByTestId('origin')).toContainText('Windows minidump');
    await rowAt(page, formatAddress(MINIDUMP_BASE)).click();
    await expect(hexRow(page, MINIDUMP_BASE + 0x30n)).toContainText('dropped on the p');

    await contents(page).getByRole('tab', { name: 'Strings' }).click();
    const strings = page.getByLabel('Strings');
    await strings.getByRole('button', { name: 'Find strings' }).click();
    await expect(strings.getByRole('status')).toContainText('Done');
    await expect(strings.getByLabel('Strings found')).toContainText(MINIDUMP_TEXT);
  });

  test('a picked file removed after it was opened: its read fails with the reason, not a hang', async ({
    page,
    served,
  }, info) => {
    const path = info.outputPath('gone.dmp');
    writeFileSync(path, textMinidump(MINIDUMP_TEXT));
    await page.goto(served.url);
    await page.getByLabel('Snapshot file').setInputFiles(path);
    await expect(page).toHaveURL(/#\/file\?id=\d+/);
    // File.slice of a file deleted since it was picked fails in the page: it answers with nothing.
    rmSync(path);
    await rowAt(page, formatAddress(MINIDUMP_BASE)).click();
    await expect(contents(page).getByRole('alert')).toContainText(
      /gone\.dmp could not be read again.*changed, moved or deleted/,
    );
  });
});
