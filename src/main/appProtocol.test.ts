import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, appProtocolHandler, appScheme } from './appProtocol';

/** A renderer directory beside a secret file that no app:// URL may reach. */
const base = mkdtempSync(join(tmpdir(), 'vmscope-app-protocol-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>vmscope</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(base, 'secret.txt'), 'secret');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const handle = appProtocolHandler(root, { 'content-security-policy': "default-src 'none'" });
const get = (url: string, method = 'GET'): Promise<Response> =>
  handle(new Request(url, { method }));

describe('the app:// protocol', () => {
  it('is a standard, secure scheme that does not bypass the CSP', () => {
    expect(appScheme.privileges).toMatchObject({ standard: true, secure: true });
    expect(appScheme.privileges?.bypassCSP).toBeFalsy();
    expect(APP_INDEX_URL).toBe('app://vmscope/index.html');
  });

  it('serves the renderer files with their type, the CSP header and nosniff', async () => {
    const page = await get(APP_INDEX_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>vmscope</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await get('app://vmscope/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await get('app://vmscope/')).status).toBe(200);
  });

  it.each([
    'app://vmscope/../secret.txt',
    'app://vmscope/%2e%2e/secret.txt',
    'app://vmscope/..%2fsecret.txt',
    'app://vmscope/..%2Fsecret.txt',
    'app://vmscope/..%5csecret.txt',
    'app://vmscope/assets/..%2f..%2fsecret.txt',
    'app://vmscope/%2fetc%2fpasswd',
    'app://vmscope/index.html%00.js',
    'app://vmscope/%E0%A4%A',
    'app://vmscope/assets',
    'app://vmscope/missing.js',
    'app://other/index.html',
  ])('refuses %s with 404 and no file content', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_INDEX_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(405);
  });
});
