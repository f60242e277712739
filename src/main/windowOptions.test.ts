import { describe, expect, it } from 'vitest';
import { isAppUrl, windowCsp, windowOptions } from './windowOptions';

describe('the Electron window', () => {
  const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences ?? {};

  it('isolates and sandboxes the renderer', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('loads the bundled CommonJS preload', () => {
    expect(prefs.preload).toMatch(/index\.cjs$/);
  });

  it('has a strict CSP: scripts only from itself, no eval, no plugins, no framing', () => {
    const csp = windowCsp();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('accepts IPC only from its own page', () => {
    const app = 'app://vmscope/index.html';
    expect(isAppUrl('app://vmscope/index.html', app)).toBe(true);
    expect(isAppUrl('app://vmscope/index.html#/inspect?pid=1', app)).toBe(true);
    // WHATWG URL gives every app:// URL the origin "null": the host must still differ.
    expect(isAppUrl('app://evil/index.html', app)).toBe(false);
    expect(isAppUrl('file:///opt/vmscope/out/renderer/index.html', app)).toBe(false);
    expect(isAppUrl('https://vmscope/', app)).toBe(false);
    expect(isAppUrl('not a url', app)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });
});
