/**
 * Property-based fuzzing of the browser host (issue 14, point 8): every API method with random
 * and near-valid inputs, the raw HTTP surface with random methods, paths, headers and bodies,
 * truncated and reset connections, deep JSON, and random WebSocket frames. The property is the
 * same everywhere: the host answers with a well-formed error value (or closes that one socket)
 * and keeps answering. Bounded: a fixed number of runs each, loopback only.
 */
import fc from 'fast-check';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, subscriptions } from '../../src/shared/api';
import { ERROR_CODES } from '../../src/shared/errors';
import type { RunningHost } from '../../src/host/server';
import {
  type TestHost,
  assertAlive,
  authHeaders,
  openStream,
  raw,
  startTestHost,
  tcp,
} from '../support/hostClient';

let testHost: TestHost;
let host: RunningHost;

beforeAll(async () => {
  testHost = await startTestHost({ maxBodyBytes: 256 * 1024 });
  host = testHost.host;
});
afterAll(() => testHost.close());

/** A well-formed answer: a result, or an error with a known code and a message. */
function expectWellFormed(body: string): void {
  const answer = JSON.parse(body) as { ok: unknown; error?: { code: unknown; message: unknown } };
  expect(typeof answer.ok).toBe('boolean');
  if (!answer.ok) {
    expect(ERROR_CODES).toContain(answer.error?.code);
    expect(typeof answer.error?.message).toBe('string');
  }
}

const deepJson = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Methods the fuzzer may call with inputs that could pass validation: none starts work that is unbounded by design. */
const SAFE_VALID = new Set([
  'system.info',
  'processes.list',
  'process.counters',
  'files.opened',
  'files.snapshot',
  'files.readDump',
  'files.feed',
  'sandbox.state',
  'sandbox.close',
  'machine.view',
]);

const scalar = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(-1),
  fc.constant(2 ** 53),
  fc.constant('0x' + 'f'.repeat(17)),
);
const nearValid = fc.record(
  {
    pid: fc.oneof(scalar, fc.constant(process.pid)),
    source: fc.oneof(scalar, fc.constantFrom('linux', 'simulated', 'windows')),
    session: scalar,
    index: scalar,
    base: scalar,
    size: scalar,
  },
  { requiredKeys: [] },
);

describe('every API method', () => {
  it('answers random and near-valid inputs with a result or a typed error', async () => {
    const names = Object.keys(methods);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...names), fc.string()),
        fc.oneof(fc.anything({ maxDepth: 4 }), nearValid),
        async (method, input) => {
          // Valid sandbox or page-read inputs would start real work; those methods get only invalid shapes.
          const sent =
            SAFE_VALID.has(method) || !Object.hasOwn(methods, method)
              ? input
              : { ...(typeof input === 'object' && input ? input : {}), '\u0000fuzz': 1 };
          const res = await raw(host, '/api/call', {
            method: 'POST',
            headers: authHeaders(host),
            body: JSON.stringify({ method, input: sent }) ?? 'null',
          });
          expect([200, 400]).toContain(res.status);
          expectWellFormed(res.body);
        },
      ),
      { numRuns: 300 },
    );
    await assertAlive(host);
  });

  it('answers random subscriptions with a result or a typed error', async () => {
    const ws = await openStream(host);
    const answers: { type: string; result?: { ok: boolean }; error?: unknown }[] = [];
    ws.on('message', (m) => answers.push(JSON.parse(String(m))));
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...Object.keys(subscriptions)), fc.string()),
        fc.anything({ maxDepth: 3 }),
        async (topic, input) => {
          ws.send(
            JSON.stringify({
              type: 'subscribe',
              ref: ++sent,
              topic,
              input: typeof input === 'object' ? input : { pid: input },
            }) ?? '{}',
          );
        },
      ),
      { numRuns: 100 },
    );
    await expect.poll(() => answers.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(sent);
    for (const a of answers.filter((x) => x.type === 'subscribed'))
      expect(typeof a.result?.ok).toBe('boolean');
    ws.close();
    await assertAlive(host);
  });
});

describe('the raw HTTP surface', () => {
  const method = fc.constantFrom(
    'GET',
    'POST',
    'PUT',
    'DELETE',
    'HEAD',
    'OPTIONS',
    'PATCH',
    'BREW',
    'G\tET',
  );
  const path = fc.oneof(
    fc.constantFrom(
      '/',
      '//',
      '///api/call',
      '/api/call',
      '/api/stream',
      '/%',
      '/%00',
      '/..',
      '/../../etc/passwd',
      '*',
      'http://[',
      'http://evil/',
      '/?token=',
      '/index.html?x=%ff',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${encodeURI(s)}`),
    fc.string({ maxLength: 40 }),
  );
  const body = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 5 }),
    fc.integer({ min: 1, max: 300 }).map(deepJson),
    fc.constant('{"method":"system.info","input":{}}'),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  );
  const ending = fc.constantFrom('complete', 'truncate', 'reset');

  it('meets random requests, truncated and reset connections, and keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        body,
        fc.boolean(),
        fc.option(fc.constantFrom('text/plain', 'application/json', 'multipart/form-data', '')),
        ending,
        fc.nat(),
        async (verb, target, text, withToken, type, end, cut) => {
          // Connection: close, and no half-close from this side: Node drops a half-closed client's pending answer.
          const headers = [`Host: 127.0.0.1:${host.port}`, 'Connection: close'];
          if (withToken) headers.push(`Authorization: Bearer ${host.token}`);
          if (type !== null) headers.push(`Content-Type: ${type}`);
          const payload = Buffer.from(text, 'latin1');
          headers.push(`Content-Length: ${payload.length}`);
          const request = Buffer.concat([
            Buffer.from(
              `${verb} ${target.replace(/[\r\n ]/g, '')} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`,
              'latin1',
            ),
            payload,
          ]);
          const socket: Socket = await tcp(host);
          let answer = '';
          socket.on('data', (c) => (answer += c.toString('latin1')));
          const done = new Promise<void>((r) => socket.once('close', () => r()));
          if (end === 'complete') {
            socket.write(request);
            await done;
            expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
            const status = Number(answer.slice(9, 12));
            expect(status).toBeLessThan(500);
          } else {
            socket.write(request.subarray(0, cut % (request.length + 1)));
            if (end === 'reset') socket.resetAndDestroy();
            else socket.end();
            await done;
          }
        },
      ),
      { numRuns: 300 },
    );
    await assertAlive(host);
  });

  it('refuses JSON deeper than 64 levels with invalid-input, and only that', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2000 }), async (depth) => {
        const res = await raw(host, '/api/call', {
          method: 'POST',
          headers: authHeaders(host),
          body: `{"method":"process.counters","input":{"pid":${deepJson(depth)}}}`,
        });
        const answer = JSON.parse(res.body) as { error: { code: string; message: string } };
        expect(answer.error.code).toBe('invalid-input');
        expect(/levels deep/.test(answer.error.message)).toBe(depth + 2 > 64);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the raw WebSocket surface', () => {
  it('meets random frames and messages by answering or closing that socket, never the host', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({ raw: Buffer.from(b) })),
            fc.json({ maxDepth: 4 }).map((text) => ({ text })),
            fc.string().map((text) => ({ text })),
          ),
          { maxLength: 6 },
        ),
        fc.boolean(),
        async (frames, reset) => {
          const ws = await openStream(host);
          ws.on('error', () => undefined);
          const socket = (ws as unknown as { _socket: Socket })._socket;
          for (const frame of frames) {
            if (ws.readyState !== ws.OPEN) break;
            if ('raw' in frame) socket.write(frame.raw);
            else ws.send(frame.text);
          }
          if (reset) socket.resetAndDestroy();
          else ws.terminate();
        },
      ),
      { numRuns: 150 },
    );
    await assertAlive(host);
    expect(testHost.logged).toEqual([]);
  });
});
