import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, type Page } from '@playwright/test';

export interface Served {
  /** The tokenized URL vmscope printed. */
  url: string;
  origin: string;
  token: string;
  /**
   * VMSCOPE_DATA_DIR of this host: a fresh folder. The host is shared by the spec files a worker
   * runs, and every snapshot taken is kept in its library: a spec counts only its own entries.
   */
  dataDir: string;
}

/** A browser host of the built CLI (`serve` with `args`, such as `--open FILE`), and its URL. */
export async function startServe(
  args: string[] = [],
): Promise<{ child: ChildProcess; served: Served }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vmscope-e2e-data-'));
  const child = spawn(process.execPath, [resolve('bin/vmscope.mjs'), 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VMSCOPE_DATA_DIR: dataDir },
  });
  let buffer = '';
  for await (const chunk of child.stdout!) {
    buffer += String(chunk);
    const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(buffer);
    if (match)
      return { child, served: { url: match[0], origin: match[1]!, token: match[2]!, dataDir } };
  }
  throw new Error(`vmscope serve printed no URL: ${buffer}`);
}

/** Each Playwright worker gets one real browser host (the built CLI's `serve`), stopped afterwards. */
export const test = base.extend<object, { served: Served }>({
  served: [
    // Playwright reads a fixture's dependencies from this destructuring: this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { child, served } = await startServe();
      await use(served);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';

/** Saved for a person to look at: test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = resolve('test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: resolve(dir, `${name}.png`) });
}

/** A process the test owns, with a recognisable command line. */
export function spawnSleeper(seconds = 300): ChildProcess {
  return spawn('sleep', [String(seconds)], { stdio: 'ignore' });
}
