import type { WebContents } from 'electron';

/** The part of WebContents the guards touch (a fake in the unit test). */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Every web contents stays on the app's page: navigation, redirects, <webview> and new windows
 * are refused. Nothing in the UI links outside the app, so there is no shell.openExternal at
 * all (a link that needs one would get an explicit allowlist here).
 */
export function guardContents(contents: GuardedContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
