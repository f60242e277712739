import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { expect, screenshot, spawnSleeper, test } from './fixtures';

const vsize = (pid: number): number =>
  Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[20]);

test.describe('the process list by keyboard and search (issue 18.8)', () => {
  const children: ChildProcess[] = [];
  test.afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  test('finds a script by its name, and a process by comm, pid and user', async ({
    page,
    served,
  }, info) => {
    // A python script run by its shebang: the executable is python, the kernel calls it uxhelper.
    const script = info.outputPath('uxhelper');
    writeFileSync(script, '#!/usr/bin/python3\nimport time\ntime.sleep(300)\n');
    chmodSync(script, 0o755);
    const python = spawn(script, [], { stdio: 'ignore' });
    // sleep started through a link named vmscomm…, with argv[0] "sleep": only comm says vmscomm.
    const link = info.outputPath(`vmscomm${process.pid}`);
    symlinkSync('/usr/bin/sleep', link);
    const renamed = spawn(link, ['300'], { argv0: 'sleep', stdio: 'ignore' });
    children.push(python, renamed);

    await page.goto(served.url);
    const search = page.getByLabel('Filter processes');
    const row = (c: ChildProcess) => page.locator(`tr[data-pid="${c.pid}"]`);
    await search.fill('uxhelper');
    await expect(row(python)).toBeVisible();
    await search.fill(`vmscomm${process.pid}`);
    await expect(row(renamed)).toBeVisible();
    await expect(page.locator('tbody tr')).toHaveCount(1);
    // The pid matches exactly, but the same digits also match any process whose name or command
    // line contains them (a fresh-clone run had six such), so only ask that this process is
    // shown and the other child, whose fields hold other digits, is not.
    await search.fill(String(renamed.pid));
    await expect(row(renamed)).toBeVisible();
    await expect(row(python)).toBeHidden();
    await search.fill(userInfo().username);
    await expect(row(renamed)).toBeVisible();
    await expect(row(python)).toBeVisible();

    // Virtual size is a column; the header glyph is a word every font has.
    const headers = await page.locator('thead th').allTextContents();
    expect(headers).toContain('Virtual size');
    expect(headers.join('')).not.toContain('⧉');
    const column = headers.indexOf('Virtual size');
    const shown = (await row(renamed).locator('td').nth(column).textContent())!;
    const m = /([\d.]+) (KiB|MiB|GiB)/.exec(shown)!;
    const value = Number(m[1]) * 1024 ** (['KiB', 'MiB', 'GiB'].indexOf(m[2]!) + 1);
    expect(Math.abs(value - vsize(renamed.pid!)) / vsize(renamed.pid!)).toBeLessThan(0.01);
    // Page faults so far: a started process has taken some, and never loses them.
    const faults = Number(
      (await row(renamed).locator('td').nth(headers.indexOf('Page faults')).textContent())!.replace(
        /,/g,
        '',
      ),
    );
    expect(faults).toBeGreaterThan(0);
  });

  test('one Tab into the rows, arrows move, Enter inspects, Ctrl+Enter watches; the list refreshes itself', async ({
    page,
    served,
  }) => {
    const a = spawnSleeper();
    const b = spawnSleeper();
    children.push(a, b);
    await page.goto(served.url);
    const search = page.getByLabel('Filter processes');
    await expect(search).toBeFocused();
    await search.fill('sleep');
    await page.getByRole('button', { name: /^PID/ }).click();
    await page.getByRole('button', { name: /^PID/ }).click();
    await expect(page.getByRole('columnheader', { name: /^PID/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await search.fill('sleep 300');
    await search.focus();

    // One Tab from the search box lands on a row.
    await page.keyboard.press('Tab');
    const focusedPid = () =>
      page.evaluate(
        () =>
          (document.activeElement as HTMLElement).dataset['pid'] ?? document.activeElement!.tagName,
      );
    const first = Number(await focusedPid());
    expect(first).toBeGreaterThan(0);
    const pids = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-pid'))));
    expect(pids[0]).toBe(first);
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedPid).toBe(String(pids[1]));
    await expect(page.locator(`tr[data-pid="${pids[1]}"]`)).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedPid).toBe(String(pids[0]));
    await screenshot(page, 'process-list-keyboard');

    // Enter inspects the focused process; Ctrl+Enter watches it.
    const target = pids.includes(a.pid!) ? a.pid! : pids[0]!;
    await page.locator(`tr[data-pid="${target}"]`).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/inspect\\?pid=${target}`));
    await page.goBack();
    await page.locator(`tr[data-pid="${target}"]`).focus();
    await page.keyboard.press('Control+Enter');
    await expect(page).toHaveURL(new RegExp(`#/watch\\?pid=${target}`));

    // Back on the list, a process started now appears without pressing Refresh.
    await page.goBack();
    await page.getByLabel('Filter processes').fill('');
    const late = spawnSleeper();
    children.push(late);
    await expect(page.locator(`tr[data-pid="${late.pid}"]`)).toBeVisible({ timeout: 20_000 });
    const auto = page.getByRole('checkbox', { name: 'Update every 2 s' });
    await expect(auto).toBeChecked();
    await auto.uncheck();
    await expect(auto).not.toBeChecked();
    // Paused, Refresh still reads the list on demand.
    late.kill('SIGKILL');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect(page.locator(`tr[data-pid="${late.pid}"]`)).toHaveCount(0);
  });

  test('a tree by parent shows a match under its parent', async ({ page, served }) => {
    const parent = spawn('bash', ['-c', 'sleep 300 & echo $!; wait'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(parent);
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const child = Number(String(line).trim());
    try {
      await page.goto(served.url);
      await page.getByRole('checkbox', { name: 'Tree by parent' }).check();
      await page.getByLabel('Filter processes').fill(String(child));
      const rows = page.locator('tbody tr');
      // The match and every ancestor up to the root: the child is last, right under bash. The
      // list filters after the input settles, so wait for the filtered rows, not for any rows.
      const rowPids = () =>
        rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-pid'))));
      await expect.poll(async () => (await rowPids()).at(-1)).toBe(child);
      const pids = await rowPids();
      expect(pids.at(-2)).toBe(parent.pid);
      const level = (pid: number) =>
        page.locator(`tr[data-pid="${pid}"]`).getAttribute('aria-level');
      expect(Number(await level(child))).toBe(Number(await level(parent.pid!)) + 1);
      expect(Number(await level(pids[0]!))).toBe(1);
      await screenshot(page, 'process-tree');
    } finally {
      process.kill(child, 'SIGKILL');
    }
  });
});
