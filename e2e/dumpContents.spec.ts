import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatAddress } from '../src/shared/address';
import {
  ASCII_MARKER,
  type ContentsProcess,
  startContentsHelper,
} from '../test/contents/contentsHelper';
import { expect, screenshot, startServe, test } from './fixtures';
import { bare, contents, hexRow, rowAt } from './contentsLocators';
import { MINIDUMP_BASE, gcore, textMinidump } from './dumpFiles';

const MINIDUMP_TEXT = 'captured by the minidump builder';

test.describe('the contents of dumps opened with serve --open', () => {
  test.skip(process.platform !== 'linux', 'gcore and the helper are Linux');
  let helper: ContentsProcess;
  let host: ChildProcess;
  let url: string;

  test.beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-e2e-dumps-'));
    helper = await startContentsHelper();
    const core = await gcore(helper.pid, join(dir, 'helper'));
    const minidump = join(dir, 'app.dmp');
    writeFileSync(minidump, textMinidump(MINIDUMP_TEXT));
    const started = await startServe(['--open', core, '--open', minidump]);
    host = started.child;
    url = started.served.url;
  });
  test.afterAll(async () => {
    helper.child.kill('SIGKILL');
    const exited = once(host, 'exit');
    host.kill('SIGTERM');
    await exited;
  });

  test('a gcore core shows its captured bytes in the hex view and finds a string', async ({
    page,
  }) => {
    await page.goto(url);
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
    await screenshot(page, 'core-contents');
  });

  test('a minidump shows its captured bytes in the hex view and finds a string', async ({
    page,
  }) => {
    await page.goto(url);
    await expect(page).toHaveURL(/#\/file\?id=\d+/);
    // The second file opened: the next id.
    const first = Number(/id=(\d+)/.exec(page.url())![1]);
    await page.evaluate((id) => (location.hash = `#/file?id=${id}`), first + 1);
    await expect(page.getByTestId('origin')).toContainText('Windows minidump');
    await rowAt(page, formatAddress(MINIDUMP_BASE)).click();
    await expect(hexRow(page, MINIDUMP_BASE + 0x30n)).toContainText('captured by the');

    await contents(page).getByRole('tab', { name: 'Strings' }).click();
    const strings = page.getByLabel('Strings');
    await strings.getByRole('button', { name: 'Find strings' }).click();
    await expect(strings.getByRole('status')).toContainText('Done');
    await expect(strings.getByLabel('Strings found')).toContainText(MINIDUMP_TEXT);
  });
});
