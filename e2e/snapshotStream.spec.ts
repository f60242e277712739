import { spawn } from 'node:child_process';
import { compileHelper } from '../test/helpers/compile';
import { firstLine } from '../test/support/children';
import { expect, test } from './fixtures';

/** What the inspector showed at each change of its DOM: whether the snapshot was partial, its regions and rows. */
interface Seen {
  partial: boolean;
  regions: number;
  rows: number;
}

test.describe('the inspector on a streamed snapshot', () => {
  test('draws rows from the first part, then ends with the whole snapshot’s count', async ({
    page,
    served,
  }) => {
    // 20,000 one-page mappings and their gaps: about 40,000 regions, 20 MB of smaps.
    const child = spawn(compileHelper('spacedmaps'), ['20000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      expect(await firstLine(child)).toBe('ready 20000');
      // Every state the inspector commits, recorded as it happens (a part is committed before the
      // next stream message is handled, useSnapshotStream.ts).
      await page.addInitScript(() => {
        const seen: Seen[] = [];
        (window as unknown as { seen: Seen[] }).seen = seen;
        new MutationObserver(() => {
          const view = document.querySelector('.snapshot-view');
          const count = document.querySelector('[data-testid="row-count"]')?.textContent ?? '';
          const regions = Number(/([\d,]+) regions/.exec(count)?.[1]?.replace(/,/g, '') ?? NaN);
          if (!view || !(regions > 0)) return;
          const state = {
            partial: view.hasAttribute('data-partial'),
            regions,
            rows: document.querySelectorAll('.rt-row').length,
          };
          const last = seen.at(-1);
          if (last?.partial !== state.partial || last.regions !== state.regions) seen.push(state);
        }).observe(document, {
          childList: true,
          subtree: true,
          characterData: true,
          attributes: true,
        });
      });
      await page.goto(`${served.url}#/inspect?pid=${child.pid}`);
      await expect(page.locator('.snapshot-view:not([data-partial])')).toBeVisible({
        timeout: 60_000,
      });
      // The same process through the one-shot call: its region count, from the encoded snapshot's header.
      const whole = await page.evaluate(async (pid) => {
        const response = await fetch('/api/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ method: 'process.snapshot', input: { pid } }),
        });
        const buffer = await response.arrayBuffer();
        const length = new DataView(buffer).getUint32(8, true);
        return (
          JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 12, length))) as {
            count: number;
          }
        ).count;
      }, child.pid!);
      expect(whole).toBeGreaterThan(40_000);
      await expect(page.getByTestId('row-count')).toContainText(
        `${whole.toLocaleString('en-US')} regions`,
      );
      const seen = await page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);
      const parts = seen.filter((s) => s.partial);
      expect(parts.length).toBeGreaterThan(0);
      expect(parts[0]!.regions).toBeLessThan(whole);
      expect(parts[0]!.rows).toBeGreaterThan(0);
      expect(seen.at(-1)).toMatchObject({ partial: false, regions: whole });
      await expect(page.getByTestId('paint-ms')).toContainText(
        /shown \d+ ms after asking, whole \d+ ms/,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
