import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/**
 * The path of the Electron binary, or why there is none. Read from the electron package's
 * path.txt and dist/ directly: since Electron 4x, require('electron') starts a download of its
 * own when the binary is missing, which this machine cannot reach.
 */
function electronBinary(): { path: string } | { missing: string } {
  const pkg = resolve('node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      missing:
        'no Electron binary on this machine: npm ci does not run its download (package.json allowScripts), and `npx install-electron` needs the internet',
    };
  }
  const dist = process.env['ELECTRON_OVERRIDE_DIST_PATH'] ?? join(pkg, 'dist');
  const path = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { path } : { missing: `no Electron binary at ${path}` };
}

const binary = electronBinary();

test.describe('the desktop app (Electron)', () => {
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');

  test('opens one secure window that lists processes', async () => {
    const app = await electron.launch({
      args: ['.'],
      executablePath: 'path' in binary ? binary.path : undefined,
    });
    try {
      const window = await app.firstWindow();
      await expect(window.locator('h1')).toHaveText('vmscope');
      await expect(window.locator('tbody tr').first()).toBeVisible();
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(
        1,
      );
      // Served by the app:// protocol, not file://, with the CSP as a header and as a <meta> tag.
      expect(window.url()).toBe('app://vmscope/index.html');
      await expect(window.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
      const traversal = await window.evaluate(
        async () => (await fetch('app://vmscope/..%2f..%2fpackage.json')).status,
      );
      expect(traversal).toBe(404);
      // No Node in the page: sandboxed, isolated, no integration.
      const globals = await window.evaluate(() => [
        typeof (window as unknown as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]);
      expect(globals).toEqual(['undefined', 'undefined']);
      // Navigation away from the app is refused.
      await window.evaluate(() => void (location.href = 'https://example.com/'));
      await expect(window.locator('h1')).toHaveText('vmscope');
      expect(
        await window.evaluate(() =>
          Object.keys((window as unknown as { vmscope: object }).vmscope).sort(),
        ),
      ).toEqual(['call', 'subscribe', 'unsubscribe']);
    } finally {
      await app.close();
    }
  });
});
