/**
 * Issue 14's reproductions against the browser host, each one a request that used to end the
 * host process. After each, the host must still answer a call.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { StreamMessage } from '../src/shared/api';
import { createLocalServiceHost, type ServiceHost } from '../src/core/serviceHost';
import { HOST_LIMITS } from '../src/host/limits';
import { type RunningHost, startHost } from '../src/host/server';
import {
  type TestHost,
  apiCall,
  assertAlive,
  authHeaders,
  closed,
  openStream,
  raw,
  startTestHost,
  tcp,
} from './support/hostClient';

let testHost: TestHost;
let host: RunningHost;
let logged: string[];
let root: string;

beforeAll(async () => {
  testHost = await startTestHost({ maxBodyBytes: 1024 * 1024 });
  ({ host, logged, root } = testHost);
});
afterAll(() => testHost.close());

const deep = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

describe('no request ends the host', () => {
  it('a "//" path without any token is a 400, for a request and for an upgrade', async () => {
    const res = await raw(host, '//', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(res.status).toBe(400);
    const socket = await tcp(host);
    socket.write(
      `GET // HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    let answer = '';
    socket.on('data', (c) => (answer += String(c)));
    await closed(socket);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await assertAlive(host);
  });

  it('a refused WebSocket upgrade reset by the client (SO_LINGER 0)', async () => {
    for (let i = 0; i < 20; i++) {
      const socket = await tcp(host);
      socket.write(
        `GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      );
      socket.resetAndDestroy();
    }
    await assertAlive(host);
  });

  it('an aborted POST body', async () => {
    for (let i = 0; i < 10; i++) {
      const socket = await tcp(host);
      socket.write(
        `POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"method":`,
      );
      await new Promise((r) => setImmediate(r));
      socket.resetAndDestroy();
    }
    await assertAlive(host);
  });

  it('an invalid WebSocket frame closes that socket only', async () => {
    const ws = await openStream(host);
    const gone = new Promise((r) => ws.once('close', r));
    // A frame with the reserved bits set and no mask: a protocol error.
    (ws as unknown as { _socket: Socket })._socket.write(Buffer.from([0xf1, 0x05, 1, 2, 3, 4, 5]));
    await gone;
    await assertAlive(host);
  });

  it('a JSON body nested 10,000 levels deep is invalid-input, before it reaches the service', async () => {
    const res = await raw(host, '/api/call', {
      method: 'POST',
      headers: authHeaders(host),
      body: `{"method":"sandbox.load","input":{"session":"x","script":${deep(10_000)}}}`,
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/more than 64 levels/) },
    });
    const ws = await openStream(host);
    const answer = new Promise<string>((r) => ws.once('message', (m) => r(String(m))));
    ws.send(`{"type":"subscribe","ref":1,"topic":"counters.watch","input":${deep(10_000)}}`);
    expect(JSON.parse(await answer)).toMatchObject({
      type: 'error',
      error: { code: 'invalid-input' },
    });
    ws.close();
    await assertAlive(host);
  });

  it('a body over the limit answers 413 with limit-exceeded', async () => {
    const res = await raw(host, '/api/call', {
      method: 'POST',
      headers: authHeaders(host),
      body: Buffer.alloc(2 * 1024 * 1024, 0x20),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'limit-exceeded' } });
    await assertAlive(host);
  });

  it('CSRF: a text/plain POST with the cookie and no Origin is refused; JSON or an Origin is needed', async () => {
    const body = JSON.stringify({ method: 'system.info', input: {} });
    const cookie = `vmscope-token=${host.token}`;
    const plain = await raw(host, '/api/call', {
      method: 'POST',
      headers: { host: `127.0.0.1:${host.port}`, cookie, 'content-type': 'text/plain' },
      body,
    });
    expect(plain.status).toBe(415);
    const withOrigin = await raw(host, '/api/call', {
      method: 'POST',
      headers: {
        host: `127.0.0.1:${host.port}`,
        cookie,
        'content-type': 'text/plain',
        origin: `http://127.0.0.1:${host.port}`,
      },
      body,
    });
    expect(JSON.parse(withOrigin.body)).toMatchObject({ ok: true });
  });

  it('nothing unexpected was logged: every refusal above was a handled path', () => {
    expect(logged).toEqual([]);
  });
});

describe('bounded streams', () => {
  it('a socket may hold 32 streams; the 33rd subscribe is limit-exceeded', async () => {
    const ws = await openStream(host);
    const answers: { type: string; result?: { ok: boolean; error?: { code: string } } }[] = [];
    ws.on('message', (m) => answers.push(JSON.parse(String(m))));
    for (let ref = 1; ref <= 2000; ref++)
      ws.send(
        JSON.stringify({
          type: 'subscribe',
          ref,
          topic: 'counters.watch',
          input: { pid: process.pid, intervalMs: 10_000 },
        }),
      );
    await expect
      .poll(() => answers.filter((a) => a.type === 'subscribed').length, { timeout: 20_000 })
      .toBe(2000);
    const results = answers.filter((a) => a.type === 'subscribed').map((a) => a.result!);
    expect(results.filter((r) => r.ok)).toHaveLength(HOST_LIMITS.maxSubscriptionsPerSocket);
    expect(results.find((r) => !r.ok)?.error?.code).toBe('limit-exceeded');
    ws.close();
    await assertAlive(host);
  });
});

describe('back-pressure on a slow reader', () => {
  it('ends a stream whose reader stops reading, with limit-exceeded, instead of queueing without bound', async () => {
    // A stream that speaks as fast as the host will take it: 64 KiB a message.
    let emitted = 0;
    let stopped = false;
    const chatty: ServiceHost = {
      ...createLocalServiceHost(),
      async subscribe(_topic, _input, listener: (m: StreamMessage) => void) {
        const blob = 'x'.repeat(64 * 1024);
        const tick = (): void => {
          if (stopped) return;
          emitted++;
          listener({ kind: 'data', data: blob });
          setImmediate(tick);
        };
        setImmediate(tick);
        return { ok: true, value: 'chatty' };
      },
      async unsubscribe() {
        stopped = true;
      },
    };
    const slowHost = await startHost({ service: chatty, staticRoot: root });
    try {
      const ws: WebSocket = await openStream(slowHost);
      const socket = (ws as unknown as { _socket: Socket })._socket;
      const messages: { type: string; message?: StreamMessage }[] = [];
      ws.on('message', (m) => messages.push(JSON.parse(String(m))));
      ws.send(
        JSON.stringify({
          type: 'subscribe',
          ref: 1,
          topic: 'counters.watch',
          input: { pid: process.pid },
        }),
      );
      await expect.poll(() => messages.length, { timeout: 10_000 }).toBeGreaterThan(0);
      socket.pause();
      await expect.poll(() => stopped, { timeout: 20_000 }).toBe(true);
      // What was emitted is bounded by the kernel's socket buffers plus the host's high-water mark, not by time.
      expect(emitted * 64 * 1024).toBeLessThan(HOST_LIMITS.socketHardCapBytes + 32 * 1024 * 1024);
      socket.resume();
      await expect
        .poll(() => messages.some((m) => m.message?.kind === 'end'), { timeout: 20_000 })
        .toBe(true);
      expect(messages.find((m) => m.message?.kind === 'end')?.message).toMatchObject({
        reason: 'error',
        error: { code: 'limit-exceeded' },
      });
      ws.close();
    } finally {
      await slowHost.close();
    }
  });
});

describe('the host keeps answering', () => {
  it('after all of the above', async () => {
    expect(await apiCall(host, 'processes.list', {})).toMatchObject({ ok: true });
  });
});
