import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';

/** Fill the operation panel and run the step. */
async function run(
  page: Page,
  op: string,
  fields: { address?: string; size?: string; type?: string[]; as?: string },
): Promise<void> {
  await page.getByRole('combobox', { name: 'Operation' }).selectOption(op);
  if (fields.type) {
    for (const name of ['RESERVE', 'COMMIT']) {
      await page
        .getByRole('checkbox', { name, exact: true })
        .setChecked(fields.type.includes(name));
    }
  }
  if (fields.address !== undefined)
    await page.getByRole('textbox', { name: 'address' }).fill(fields.address);
  if (fields.size !== undefined)
    await page.getByRole('textbox', { name: 'size' }).fill(fields.size);
  await page.getByRole('textbox', { name: 'bind result as' }).fill(fields.as ?? '');
  const before = await page.locator('.history li').count();
  await page.getByRole('button', { name: `Run ${op}` }).click();
  await expect(page.locator('.history li')).toHaveCount(before + 1, { timeout: 20_000 });
}

/** The pages of the lowest allocation: the script's first (process start's own lie higher). */
const cells = (page: Page) => page.locator('.pg-allocation').first().locator('.pg-cells .pg');

async function reserveCommitWriteFault(page: Page): Promise<void> {
  await run(page, 'VirtualAlloc', { address: '', size: '0x10000', type: ['RESERVE'], as: 'base' });
  await expect(cells(page)).toHaveCount(16);
  await expect(cells(page).first()).toHaveAttribute('data-state', 'reserved');

  await run(page, 'VirtualAlloc', { address: 'base', size: '8192', type: ['COMMIT'] });
  await expect(cells(page).nth(1)).toHaveAttribute('data-state', 'committed');
  await expect(cells(page).nth(2)).toHaveAttribute('data-state', 'reserved');
  await expect(cells(page).first()).toHaveAttribute('data-ws', 'false');

  await run(page, 'Write', { address: 'base', size: '8192' });
  await expect(page.getByTestId('result-line')).toContainText('memset(base, 0xCC, 8192) → ok');
  await expect(cells(page).first()).toHaveAttribute('data-ws', 'true');
  await expect(cells(page).first()).toHaveAttribute(
    'title',
    /MEMORY_BASIC_INFORMATION[\s\S]*State\s+MEM_COMMIT[\s\S]*Protect\s+PAGE_READWRITE/,
  );

  // Clicking a page fills the address field; writing there (reserved) is an access violation.
  const third = cells(page).nth(2);
  const address = (await third.getAttribute('data-address'))!;
  await third.click();
  await expect(page.getByRole('textbox', { name: 'address' })).toHaveValue(address);
  await run(page, 'Write', { size: '4' });
  await expect(page.getByTestId('result-line')).toContainText(
    `memset(${address}, 0xCC, 4) → EXCEPTION_ACCESS_VIOLATION (0xc0000005), write at ${address}`,
  );
}

test.describe('the sandbox playground', () => {
  test('simulated engine: reserve, commit, write, see the pages change, see an access violation', async ({
    page,
    served,
  }) => {
    await page.goto(served.url);
    await page.getByRole('button', { name: 'Sandbox' }).click();
    await expect(page).toHaveURL(/#\/sandbox/);
    // A step is checked before it is sent: a name no step bound cannot be run.
    await page.getByRole('combobox', { name: 'Operation' }).selectOption('Read');
    await page.getByRole('textbox', { name: 'address' }).fill('nowhere+0x10');
    await expect(page.locator('.op-problems')).toContainText(
      'address: "nowhere" is not bound by an earlier step\'s "as"',
    );
    await expect(page.getByRole('button', { name: 'Run Read' })).toBeDisabled();
    // A new session's process already has what Windows gives one at start.
    const headings = page.locator('.pg-allocation h4');
    await expect(
      headings.filter({ hasText: '0x7ffe0000 · 4 KiB · KUSER_SHARED_DATA' }),
    ).toHaveCount(1);
    await expect(headings.filter({ hasText: 'ntdll.dll' })).toHaveCount(1);
    await expect(headings.filter({ hasText: 'Stack of thread 4246' })).toHaveCount(1);
    await expect(headings.filter({ hasText: 'Process heap' })).toHaveCount(1);
    await expect(
      page.locator('.pg-allocation', { hasText: 'Stack of thread' }).locator('.pg-guard'),
    ).toHaveCount(1);
    await reserveCommitWriteFault(page);
    await screenshot(page, 'sandbox-simulated');

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page.locator('.history li')).toHaveCount(3);

    // A lesson replaces the history; its guard-page step is marked in the history.
    await page.getByRole('combobox', { name: 'Lesson' }).selectOption('protection-guard');
    await expect(page.locator('.history li')).toHaveCount(0);
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Next step' }).click();
    await expect(page.locator('.history li')).toHaveCount(6);
    await expect(page.locator('.history li').nth(5)).toContainText('STATUS_GUARD_PAGE_VIOLATION');
    await screenshot(page, 'sandbox-guard-lesson');
  });

  test('a 1 TiB reservation: sizes read in units, rows of one granule fold, 64-bit bounds hold', async ({
    page,
    served,
  }) => {
    await page.goto(`${served.url}#/sandbox`);
    await page.getByRole('combobox', { name: 'Operation' }).selectOption('VirtualAlloc');
    const size = page.getByRole('textbox', { name: 'size' });
    // Larger than any SIZE_T: refused before it is sent, with the reason.
    await size.fill('100000000000000000000000');
    await expect(page.locator('.op-problems')).toContainText('does not fit in 64 bits');
    await expect(page.getByRole('button', { name: 'Run VirtualAlloc' })).toBeDisabled();
    await size.fill('0x10000000000');
    await expect(page.getByTestId('hint-size')).toHaveText('= 1 TiB');
    await expect(page.getByTestId('op-preview')).toHaveText(
      'VirtualAlloc(NULL, 0x10000000000, MEM_RESERVE, PAGE_READWRITE)',
    );
    await run(page, 'VirtualAlloc', { size: '0x10000000000', type: ['RESERVE'], as: 'tera' });
    // The reservation's own grid, wherever it landed among other allocations.
    const tera = page.locator('.pg-allocation', { has: page.locator('h4', { hasText: '1 TiB' }) });
    await expect(tera).toHaveCount(1);
    // One drawn row of 16 pages, then the other 16,777,215 granules as one folded line.
    await expect(tera.locator('.pg-cells .pg')).toHaveCount(16);
    await expect(tera.getByTestId('pg-fold')).toHaveAttribute('data-rows', '16777215');
    await expect(tera.getByTestId('pg-fold')).toContainText('16,777,215 more granules');
    await expect(page.locator('.history li').first()).toHaveText(
      /^LPVOID tera = VirtualAlloc\(NULL, 0x10000000000, MEM_RESERVE, PAGE_READWRITE\) → 0x[0-9a-f]+$/,
    );
    // Commit the second granule: the grid shows rows 0 and 1, then folds the rest.
    await run(page, 'VirtualAlloc', { address: 'tera+0x10000', size: '0x10000', type: ['COMMIT'] });
    await expect(tera.locator('.pg-row')).toHaveCount(3);
    await expect(tera.locator('.pg-row').nth(1).locator('.pg').first()).toHaveAttribute(
      'data-state',
      'committed',
    );
    await expect(tera.getByTestId('pg-fold')).toHaveAttribute('data-rows', '16777213');
    await screenshot(page, 'sandbox-terabyte');
  });

  test('live engine: real calls in a child process, and a real access violation recovered', async ({
    page,
    served,
  }) => {
    test.skip(process.platform !== 'linux', 'the live engine makes Linux calls');
    await page.goto(`${served.url}#/sandbox`);
    await page.getByRole('button', { name: 'Live (real calls)' }).click();
    await expect(page.getByTestId('live-pid')).toContainText(/child pid \d+/);
    const pid = (await page.getByTestId('live-pid').textContent())!.match(/\d+/)![0];
    await reserveCommitWriteFault(page);
    await expect(page.getByTestId('result-line')).toContainText(
      'a fresh one replayed the earlier steps',
    );
    await expect(page.getByTestId('live-pid')).not.toContainText(`pid ${pid} `);
    // The replayed steps are there in the new child.
    await expect(cells(page).first()).toHaveAttribute('data-state', 'committed');
    // The restart is marked, and the rows above it show the fresh child's address.
    await expect(page.getByTestId('restart-mark')).toHaveCount(1);
    await expect(page.getByTestId('restart-mark')).toContainText(`live child ${pid} died here`);
    const base = await page.locator('.pg-allocation').first().getAttribute('data-base');
    await expect(page.locator('.history li').first()).toContainText(`→ ${base}`);
    await run(page, 'VirtualAlloc', { address: 'base', size: '4096', type: ['COMMIT'] });
    await expect(page.getByTestId('result-line')).toContainText(
      /mprotect\(0x[0-9a-f]+, 4096, PROT_READ\|PROT_WRITE\) = 0/,
    );
    await screenshot(page, 'sandbox-live');
  });
});
