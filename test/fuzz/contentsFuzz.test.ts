/**
 * Fuzzing of the memory-contents API through the browser host (issue 20, security): region.read
 * with random and near-valid inputs, on a real process with known contents, answers either its
 * bytes (binary, exactly `size` of them, holes inside the range) or a typed error; the scan
 * streams with random inputs answer a result or a typed error; nothing is served without the
 * token; and the host keeps answering. Bounded runs, loopback only.
 */
import fc from 'fast-check';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/shared/errors';
import { MAX_READ_BYTES } from '../../src/shared/memoryScan';
import { decodeBytesResult } from '../../src/shared/rpc/bytesResult';
import type { MemoryHole } from '../../src/shared/memoryContents';
import {
  type TestHost,
  assertAlive,
  authHeaders,
  openStream,
  raw,
  startTestHost,
} from '../support/hostClient';
import { stopAllChildren } from '../support/children';
import { type ContentsProcess, startContentsHelper } from '../contents/contentsHelper';

let testHost: TestHost;
let helper: ContentsProcess;

beforeAll(async () => {
  [testHost, helper] = await Promise.all([startTestHost(), startContentsHelper()]);
});
afterAll(async () => {
  await testHost.close();
  await stopAllChildren();
});

/** A call whose answer body is kept as bytes (a binary result is not text). */
function call(input: unknown): Promise<{ status: number; type: string; body: Buffer }> {
  const { host } = testHost;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: '/api/call',
        method: 'POST',
        headers: authHeaders(host),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ method: 'region.read', input }));
  });
}

const hexAddress = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((a) => `0x${a.toString(16)}`);

describe('region.read through the host', () => {
  it('answers random and near-valid reads with exactly the bytes asked for, or a typed error', async () => {
    const near = () => {
      const rw = BigInt(helper.report.rw);
      return fc.record(
        {
          pid: fc.oneof(
            fc.constant(helper.pid),
            fc.integer({ min: -5, max: 2 ** 31 + 5 }),
            fc.string(),
          ),
          address: fc.oneof(
            hexAddress,
            fc
              .integer({ min: -0x3000, max: 0x13000 })
              .map((o) => `0x${(rw + BigInt(o) < 0n ? 0n : rw + BigInt(o)).toString(16)}`),
            fc.string(),
            fc.constant('0x' + 'f'.repeat(17)),
          ),
          size: fc.oneof(
            fc.integer({ min: 1, max: 0x4000 }),
            fc.constantFrom(0, -1, 1.5, MAX_READ_BYTES, MAX_READ_BYTES + 1, 2 ** 53),
          ),
          source: fc.constantFrom('linux', 'simulated', 'bogus', undefined),
        },
        { requiredKeys: ['pid', 'address', 'size'] },
      );
    };
    let served = 0;
    await fc.assert(
      fc.asyncProperty(near(), async (input) => {
        const res = await call(input);
        if (res.type.startsWith('application/vnd.vmscope.bytes')) {
          served++;
          expect(res.status).toBe(200);
          const read = decodeBytesResult(new Uint8Array(res.body).buffer) as unknown as {
            address: string;
            bytes: Uint8Array;
            holes: MemoryHole[];
          };
          expect(read.bytes.length).toBe(input.size);
          expect(read.address).toBe(input.address);
          for (const h of read.holes) {
            expect(h.offset).toBeGreaterThanOrEqual(0);
            expect(h.offset + h.size).toBeLessThanOrEqual(input.size as number);
          }
        } else {
          const answer = JSON.parse(res.body.toString('utf8')) as {
            ok: boolean;
            error?: { code: string };
          };
          expect(answer.ok).toBe(false);
          expect(ERROR_CODES).toContain(answer.error?.code);
        }
      }),
      { numRuns: 200 },
    );
    // The near-valid inputs do reach real reads, not only refusals.
    expect(served).toBeGreaterThan(0);
    await assertAlive(testHost.host);
  });

  it('refuses a read without the token', async () => {
    const res = await raw(testHost.host, '/api/call', {
      method: 'POST',
      headers: { host: `127.0.0.1:${testHost.host.port}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'region.read',
        input: { pid: helper.pid, address: helper.report.rw, size: 16 },
      }),
    });
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('VMSCOPE');
  });
});

describe('the scan streams through the host', () => {
  it('answer random subscriptions with a result or a typed error, and the host keeps answering', async () => {
    const ws = await openStream(testHost.host);
    const subscribed: { ok: boolean; value?: string; error?: { code: string } }[] = [];
    ws.on('message', (m: Buffer) => {
      const frame = JSON.parse(m.toString('utf8')) as {
        type: string;
        result?: (typeof subscribed)[number];
      };
      if (frame.type === 'subscribed') {
        subscribed.push(frame.result!);
        // Each accepted scan is closed at once: the fuzz is about inputs, not about scanning.
        if (frame.result!.ok)
          ws.send(JSON.stringify({ type: 'unsubscribe', id: frame.result!.value }));
      }
    });
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('process.search', 'process.strings', 'region.stats'),
        fc.record(
          {
            pid: fc.oneof(fc.constant(helper.pid), fc.integer()),
            pattern: fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.constant('de ad'),
              fc.string({ minLength: 13000, maxLength: 13001 }),
            ),
            kind: fc.constantFrom('text', 'utf16', 'hex', 'regex'),
            min: fc.oneof(fc.integer({ min: -1, max: 2000 }), fc.double()),
            encodings: fc.array(fc.constantFrom('ascii', 'utf16le', 'utf8'), { maxLength: 3 }),
            regions: fc.oneof(
              fc.constant([helper.report.rw]),
              fc.array(hexAddress, { maxLength: 3 }),
            ),
            limit: fc.integer({ min: -1, max: 10 }),
          },
          { requiredKeys: [] },
        ),
        async (topic, input) => {
          ws.send(JSON.stringify({ type: 'subscribe', ref: ++sent, topic, input }));
        },
      ),
      { numRuns: 100 },
    );
    await expect.poll(() => subscribed.length, { timeout: 20_000 }).toBe(sent);
    for (const s of subscribed) {
      expect(typeof s.ok).toBe('boolean');
      if (!s.ok) expect(ERROR_CODES).toContain(s.error?.code);
    }
    ws.close();
    await assertAlive(testHost.host);
  });
});
