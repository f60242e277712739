import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';

/** The path of the Electron binary, or why there is none (its download needs the internet). */
function electronBinary(): { path: string } | { missing: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? { path } : { missing: 'the electron package did not give a binary path' };
  } catch (err) {
    return { missing: `no Electron binary on this machine (${(err as Error).message.split('\n')[0]})` };
  }
}

const binary = electronBinary();

test.describe('the desktop app (Electron)', () => {
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');

  test('opens one secure window that lists processes', async () => {
    const app = await electron.launch({ args: ['.'], executablePath: 'path' in binary ? binary.path : undefined });
    try {
      const window = await app.firstWindow();
      await expect(window.locator('h1')).toHaveText('vmscope');
      await expect(window.locator('tbody tr').first()).toBeVisible();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      // No Node in the page: sandboxed, isolated, no integration.
      const globals = await window.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process]);
      expect(globals).toEqual(['undefined', 'undefined']);
      // Navigation away from the app is refused.
      await window.evaluate(() => void (location.href = 'https://example.com/'));
      await expect(window.locator('h1')).toHaveText('vmscope');
      expect(await window.evaluate(() => Object.keys((window as unknown as { vmscope: object }).vmscope).sort())).toEqual([
        'call',
        'subscribe',
        'unsubscribe',
      ]);
    } finally {
      await app.close();
    }
  });
});
