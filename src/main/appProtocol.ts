import { readFile, stat } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { resolveStatic, staticContentType } from '../core/io/staticAsset';

/**
 * The renderer is served from app://vmscope/, not file://: a file:// page shares its origin with
 * every file on disk and gets file:// privileges, while this scheme reaches only the built
 * renderer directory, with our own headers on every response.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vmscope';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Registered before `ready`. `standard` gives the scheme an origin (so 'self' in the CSP and
 * relative URLs work), `secure` makes it a secure context like https; nothing bypasses the CSP.
 */
export const appScheme: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const refuse = (status: number, text: string): Response =>
  new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * The protocol.handle handler for app://: files under root only (no `..`, encoded separators,
 * NUL or other hosts), GET and HEAD only, every answer carrying the given headers (the CSP).
 */
export function appProtocolHandler(
  root: string,
  headers: Record<string, string>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(405, 'Method not allowed');
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'Not found');
    const file = resolveStatic(root, url.pathname);
    const info = file ? await stat(file).catch(() => null) : null;
    if (!file || !info?.isFile()) return refuse(404, 'Not found');
    return new Response(request.method === 'HEAD' ? null : await readFile(file), {
      status: 200,
      headers: {
        ...headers,
        'content-type': staticContentType(file),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  };
}
