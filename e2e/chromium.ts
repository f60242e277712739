/**
 * Debian's Chromium, as the e2e tests and the benches launch it (Playwright's own browser
 * download is not reachable here): one list of flags, so a bench measures the browser the tests
 * drive.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env['VMSCOPE_CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium cannot be used here, or null. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`;
}
