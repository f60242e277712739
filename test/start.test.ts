/**
 * `npm start` on a machine without Electron's binary (as here): one line saying so, then the
 * browser host's URL, and no failed-download stack trace in between.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from './support/cli';

const electronInstalled = (): boolean => {
  const pathFile = join('node_modules/electron/path.txt');
  return (
    existsSync(pathFile) &&
    existsSync(join('node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()))
  );
};

describe('npm start without an Electron binary', () => {
  it.skipIf(electronInstalled())('says so in one line and serves the browser host', async () => {
    assertBuilt();
    // CI=true keeps start.mjs from trying the download, as in CI; the message is the same either way.
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (out += String(c)));
    try {
      while (!/serving at http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(out)) {
        if (child.exitCode !== null) break;
        await once(child.stdout, 'data');
      }
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe(
        'vmscope: the Electron binary is not installed (its download failed or was skipped); starting the browser host instead.',
      );
      expect(lines[1]).toMatch(/^vmscope is serving at http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/);
      expect(out).not.toMatch(/Downloading|TypeError/);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });
});
