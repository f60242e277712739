import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLocalServiceHost, type ServiceHost } from '../src/core/serviceHost';
import { resolveStatic } from '../src/host/staticFiles';
import { type RunningHost, startHost } from '../src/host/server';

/** A raw HTTP request, so tests control the Host and Origin headers a browser would send. */
function raw(
  host: RunningHost,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let host: RunningHost;
let service: ServiceHost;
const unsubscribed: string[] = [];
const root = mkdtempSync(join(tmpdir(), 'vmscope-web-'));

beforeAll(async () => {
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>vmscope</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'vmscope-secret.txt'), 'secret');
  const local = createLocalServiceHost();
  service = {
    ...local,
    unsubscribe: async (id) => {
      unsubscribed.push(id);
      await local.unsubscribe(id);
    },
  };
  host = await startHost({ service, staticRoot: root });
});
afterAll(async () => {
  await host.close();
  await service.close();
});

const auth = (): Record<string, string> => ({
  host: `127.0.0.1:${host.port}`,
  authorization: `Bearer ${host.token}`,
});

describe('the browser host', () => {
  it('binds loopback and prints a tokenized URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('refuses a request without the token (401)', async () => {
    const res = await raw(host, '/', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(res.status).toBe(401);
    const api = await raw(host, '/api/call', {
      method: 'POST',
      headers: { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'system.info', input: {} }),
    });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'access-denied' } });
  });

  it('refuses a wrong token', async () => {
    const res = await raw(host, '/?token=wrong', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Origin even with the token (403)', async () => {
    const res = await raw(host, '/api/call', {
      method: 'POST',
      headers: { ...auth(), origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'system.info', input: {} }),
    });
    expect(res.status).toBe(403);
  });

  it('refuses a foreign Host header: DNS rebinding (403)', async () => {
    const res = await raw(host, `/?token=${host.token}`, {
      headers: { host: `evil.example:${host.port}` },
    });
    expect(res.status).toBe(403);
  });

  it('trades the URL token for an HttpOnly cookie and drops it from the address', async () => {
    const res = await raw(host, `/?token=${host.token}`, {
      headers: { host: `127.0.0.1:${host.port}` },
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await raw(host, '/', {
      headers: { host: `127.0.0.1:${host.port}`, cookie: cookie.split(';')[0] ?? '' },
    });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers contract calls, with typed errors for bad input', async () => {
    const ok = await raw(host, '/api/call', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'system.info', input: {} }),
    });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { platform: process.platform } });
    const bad = await raw(host, '/api/call', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'process.counters', input: { pid: 'one' } }),
    });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const garbage = await raw(host, '/api/call', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
  });

  it('never serves a file outside its folder', async () => {
    for (const path of [
      '/../vmscope-secret.txt',
      '/%2e%2e/vmscope-secret.txt',
      '/assets/..%2f..%2fvmscope-secret.txt',
      '/%E0%A4%A',
    ]) {
      const res = await raw(host, path, { headers: auth() });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('secret');
    }
    expect(resolveStatic(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveStatic(root, '/..\\..\\etc\\passwd')).toBeNull();
    expect((await raw(host, '/assets/app.js', { headers: auth() })).status).toBe(200);
  });

  it('streams over the WebSocket and ends the streams of a socket that closes', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/stream`, {
      headers: { authorization: `Bearer ${host.token}` },
    });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const messages: {
      type: string;
      id?: string;
      result?: { ok: boolean; value: string };
      message?: { kind: string };
    }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    ws.send(
      JSON.stringify({
        type: 'subscribe',
        ref: 1,
        topic: 'counters.watch',
        input: { pid: process.pid, intervalMs: 100 },
      }),
    );
    await expect
      .poll(() => messages.filter((m) => m.type === 'message').length, { timeout: 5000 })
      .toBeGreaterThan(1);
    const id = messages.find((m) => m.type === 'subscribed')?.result?.value;
    expect(id).toBeTruthy();
    ws.close();
    await expect.poll(() => unsubscribed.includes(id!), { timeout: 5000 }).toBe(true);
  });

  it('refuses a WebSocket without the token or from a foreign origin', async () => {
    for (const headers of [
      {},
      { authorization: `Bearer ${host.token}`, origin: 'http://evil.example' },
    ]) {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/stream`, { headers });
      const outcome = await new Promise<string>((r) => {
        ws.once('open', () => r('open'));
        ws.once('error', () => r('refused'));
      });
      expect(outcome).toBe('refused');
    }
  });
});
