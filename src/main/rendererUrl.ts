import { APP_INDEX_URL } from './appProtocol';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the window loads the renderer from. electron-vite's dev server (ELECTRON_RENDERER_URL) is
 * honoured only in an unpacked app and only on loopback http: a packaged app always shows its
 * own app:// files, whatever the environment says.
 */
export function rendererUrl(devUrl: string | undefined, isPackaged: boolean): string {
  if (isPackaged || !devUrl) return APP_INDEX_URL;
  try {
    const url = new URL(devUrl);
    if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url.href;
  } catch {
    // not a URL: fall through to the warning
  }
  console.warn(`vmscope: ignoring ELECTRON_RENDERER_URL=${devUrl} (only http on loopback is used)`);
  return APP_INDEX_URL;
}
