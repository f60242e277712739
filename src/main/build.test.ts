/**
 * The built desktop app (out/, from `npm run build`, which npm test runs first): what must be
 * true of the files Electron loads, checked without an Electron binary.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowCsp, windowCspMeta } from './windowOptions';

const built = (path: string): string => {
  const full = resolve(path);
  expect(
    existsSync(full),
    `${path} is missing: run \`npm run build\` (npm test does it first)`,
  ).toBe(true);
  return readFileSync(full, 'utf8');
};

describe('the built desktop app', () => {
  it('carries the window CSP as the first <meta> of index.html, before any script', () => {
    const html = built('out/renderer/index.html');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    expect(meta).not.toBeNull();
    const content = (meta?.[1] ?? '').replaceAll('&#39;', "'");
    expect(content).toBe(windowCspMeta());
    expect(content).toContain("script-src 'self'");
    expect(content).not.toContain('frame-ancestors');
    expect(html.indexOf(meta?.[0] ?? '')).toBeLessThan(html.indexOf('<script'));
  });

  it('drops from the meta CSP only what a <meta> tag cannot carry', () => {
    expect(windowCsp()).toContain("frame-ancestors 'none'");
    const kept = windowCsp()
      .split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'));
    expect(windowCspMeta().split('; ')).toEqual(kept);
  });

  it('loads the renderer from app:// and never opens anything outside the app', () => {
    const main = built('out/main/index.js');
    expect(main).toContain('registerSchemesAsPrivileged');
    expect(main).not.toMatch(/openExternal\s*\(/);
    expect(main).not.toMatch(/loadFile\s*\(/);
  });
});
