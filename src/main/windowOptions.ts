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

/** Where the app's own pages live; IPC is accepted only from a top frame at this URL. */
export function isAppUrl(url: string, appUrl: string): boolean {
  try {
    const given = new URL(url);
    const app = new URL(appUrl);
    if (app.protocol === 'file:') return given.protocol === 'file:' && given.pathname === app.pathname;
    return given.origin === app.origin;
  } catch {
    return false;
  }
}
