import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../shared/csp';

/** The one window's options: every security switch set explicitly, checked by a unit test. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'vmscope',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** The window's CSP: nothing beyond our own files (IPC needs no network). */
export function windowCsp(): string {
  return contentSecurityPolicy();
}

/** Directives a <meta> CSP cannot carry (browsers ignore them there, with a console warning). */
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * The same CSP for a <meta http-equiv> tag in the built index.html: it holds even where a response
 * header is not applied (a file:// load, or an Electron whose webRequest skips the scheme).
 */
export function windowCspMeta(): string {
  return windowCsp()
    .split('; ')
    .filter((directive) => !HEADER_ONLY.includes(directive.split(' ')[0] ?? ''))
    .join('; ');
}

/**
 * Where the app's own pages live; IPC is accepted only from a top frame at this URL. Compared by
 * scheme and host, not URL.origin: a non-special scheme such as app: has the opaque origin "null"
 * in WHATWG URL, so every app:// URL would compare equal.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const given = new URL(url);
    const app = new URL(appUrl);
    return given.protocol === app.protocol && given.host === app.host;
  } catch {
    return false;
  }
}
