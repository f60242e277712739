/**
 * A dump the page holds, read for its contents through the contract (files.hold, files.feed, then
 * region.read and the scans with its file index): the "page" here is a Buffer answering each
 * request with exactly the ranges asked, as the renderer does with File.slice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatchCall, dispatchSubscribe } from '../../src/core/dispatch';
import { createService } from '../../src/core/service';
import type { MemoryRead, StreamMessage } from '../../src/shared/api';
import { type HoldEvent, MAX_HELD_DUMPS } from '../../src/shared/dumpPieces';
import { ERROR_CODES } from '../../src/shared/errors';
import type { SearchEvent, StringsEvent } from '../../src/shared/memoryScan';
import { buildCore, buildMinidump } from '../support/dumpBuilders';
import { runStream } from '../support/serviceStreams';

const TEXT = 'held by the page, read by the service';
const MINIDUMP_AT = 0x7ff000n;
const CORE_AT = 0x7f0000020000n;

function minidump(): Buffer {
  const bytes = Buffer.alloc(0x2000);
  bytes.write(TEXT, 0x30, 'latin1');
  return buildMinidump({
    pid: 4711,
    modules: [{ base: 0x140000000n, size: 0x20000, path: 'C:\\App\\app.exe' }],
    memory: [{ address: MINIDUMP_AT, bytes }],
  });
}

function core(): Buffer {
  const bytes = Buffer.alloc(0x3000);
  bytes.write(TEXT, 0x1ff0, 'latin1'); // across a page boundary
  return buildCore({
    pid: 999,
    command: 'held',
    segments: [
      { address: CORE_AT - 0x1000n, size: 0x1000n, flags: 4 },
      { address: CORE_AT, size: 0x3000n, flags: 6, bytes },
    ],
    threads: [{ tid: 999, sp: CORE_AT + 0x2000n }],
    auxv: [[6, 4096n]],
  });
}

interface Page {
  /** The file index the stream gave, once the dump is open. */
  file: Promise<number>;
  /** Bytes the page read and sent. */
  sent: () => number;
  ended: Promise<StreamMessage>;
  close: () => void;
  requests: { token: string; request: number }[];
}

/** A page holding `bytes`: it answers every request with the ranges asked, unless `answer` says otherwise. */
function hold(
  service: ReturnType<typeof createService>,
  name: string,
  bytes: Buffer,
  answer = (ranges: { offset: number; length: number }[]) =>
    ranges.map((r) => ({
      offset: r.offset,
      data: bytes.subarray(r.offset, r.offset + r.length).toString('base64'),
    })),
): Page {
  let sent = 0;
  let resolveFile!: (file: number) => void;
  let resolveEnd!: (m: StreamMessage) => void;
  const file = new Promise<number>((resolve) => (resolveFile = resolve));
  const ended = new Promise<StreamMessage>((resolve) => (resolveEnd = resolve));
  const requests: Page['requests'] = [];
  const started = dispatchSubscribe(
    service,
    'files.hold',
    { name, size: bytes.length },
    (m: StreamMessage) => {
      if (m.kind === 'end') return resolveEnd(m);
      const event = m.data as HoldEvent;
      if ('held' in event) return resolveFile(event.held.file);
      const { token, request, ranges } = event.need;
      requests.push({ token, request });
      const pieces = answer(ranges);
      sent += pieces.reduce((n, p) => n + Buffer.from(p.data, 'base64').length, 0);
      void dispatchCall(service, 'files.feed', { token, request, pieces });
    },
  );
  // The stream starts once the dumps' modules have loaded; a refused start fails the test there.
  const stop = started.then((s) => {
    if (!s.ok) throw new Error(s.error.message);
    return s.value;
  });
  return { file, sent: () => sent, ended, close: () => void stop.then((s) => s()), requests };
}

async function read(
  service: ReturnType<typeof createService>,
  input: Record<string, unknown>,
): Promise<MemoryRead> {
  const result = await dispatchCall(service, 'region.read', input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as MemoryRead;
}

describe('a dump the page holds, read for its contents', () => {
  it('a minidump: its captured bytes read back, strings and search find the text', async () => {
    const service = createService();
    const bytes = minidump();
    const page = hold(service, 'app.dmp', bytes);
    const file = await page.file;
    const chunk = await read(service, {
      pid: 4711,
      file,
      address: `0x${(MINIDUMP_AT + 0x30n).toString(16)}`,
      size: TEXT.length,
    });
    expect(Buffer.from(chunk.bytes).toString('latin1')).toBe(TEXT);
    expect(chunk.holes).toEqual([]);
    const { events, end } = await runStream<StringsEvent>(service, 'process.strings', {
      pid: 4711,
      file,
    });
    expect(end).toEqual({ kind: 'end', reason: 'closed' });
    expect(events.flatMap((e) => e.strings).map((s) => s.text)).toContain(TEXT);
    page.close();
  });

  it('a core: bytes across its pages, holes where nothing was captured, search by address', async () => {
    const service = createService();
    const bytes = core();
    const page = hold(service, 'core.999', bytes);
    const file = await page.file;
    const chunk = await read(service, {
      pid: 999,
      file,
      address: `0x${(CORE_AT - 0x10n).toString(16)}`,
      size: 0x20,
    });
    expect(chunk.holes).toEqual([{ offset: 0, size: 0x10, reason: 'not-captured' }]);
    const { events } = await runStream<SearchEvent>(service, 'process.search', {
      pid: 999,
      file,
      kind: 'text',
      pattern: TEXT,
    });
    expect(events.flatMap((e) => e.matches).map((m) => m.address)).toEqual([
      `0x${(CORE_AT + 0x1ff0n).toString(16)}`,
    ]);
    // Only what the reads needed crossed: the headers and the one captured segment, not more.
    expect(page.sent()).toBeLessThan(bytes.length + 0x3000 + 4096);
    page.close();
    // Closed: the index reads nothing any more, with a message that says what to do.
    await expect(
      read(service, { pid: 999, file, address: '0x7f0000020000', size: 16 }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/Open the file again/),
    });
  });

  it('a page that sends other bytes than asked fails the waiting read, and the feed, clearly', async () => {
    const service = createService();
    const bytes = minidump();
    let opened = false;
    const page = hold(service, 'app.dmp', bytes, (ranges) =>
      ranges.map((r) => ({
        offset: r.offset,
        // Once open, the page "lost" the file: each answer is one byte short.
        data: bytes.subarray(r.offset, r.offset + r.length - (opened ? 1 : 0)).toString('base64'),
      })),
    );
    const file = await page.file;
    opened = true;
    await expect(
      read(service, { pid: 4711, file, address: '0x7ff030', size: 16 }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/did not send the 1 ranges asked.*file changed/),
    });
    page.close();
  });

  it('a page that cannot read the file again (no pieces) fails that read at once; the dump stays held', async () => {
    const service = createService();
    const bytes = minidump();
    let readable = true;
    const page = hold(service, 'app.dmp', bytes, (ranges) =>
      // As the renderer answers when File.slice(...).arrayBuffer() fails: no pieces at all.
      readable
        ? ranges.map((r) => ({
            offset: r.offset,
            data: bytes.subarray(r.offset, r.offset + r.length).toString('base64'),
          }))
        : [],
    );
    const file = await page.file;
    readable = false;
    const answered = page.requests.length;
    await expect(
      read(service, { pid: 4711, file, address: '0x7ff030', size: 16 }),
    ).rejects.toMatchObject({
      code: 'source-unavailable',
      message: expect.stringMatching(/app\.dmp could not be read again.*changed, moved or deleted/),
    });
    expect(page.requests.length).toBe(answered + 1);
    // Still held: once the file reads again, so does the dump; closing it still closes it.
    readable = true;
    const chunk = await read(service, { pid: 4711, file, address: '0x7ff030', size: 16 });
    expect(Buffer.from(chunk.bytes).toString('latin1')).toBe(TEXT.slice(0, 16));
    page.close();
    await expect(
      read(service, { pid: 4711, file, address: '0x7ff030', size: 16 }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('feeds with an unknown token or request, and a malformed file, are typed errors', async () => {
    const service = createService();
    const unknown = await dispatchCall(service, 'files.feed', {
      token: '0'.repeat(32),
      request: 0,
      pieces: [],
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const badToken = await dispatchCall(service, 'files.feed', {
      token: 'x',
      request: 0,
      pieces: [],
    });
    expect(badToken).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    const bad = minidump();
    bad.writeUInt32LE(0xffff, 4); // version
    const page = hold(service, 'bad.dmp', bad);
    expect(await page.ended).toMatchObject({
      kind: 'end',
      reason: 'error',
      error: { code: 'malformed-file', message: expect.stringMatching(/MINIDUMP_HEADER/) },
    });
    const again = await dispatchCall(service, 'files.feed', {
      ...page.requests[0]!,
      pieces: [],
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it(`holds at most ${MAX_HELD_DUMPS} dumps: one more closes the oldest, with the reason`, async () => {
    const service = createService();
    const bytes = minidump();
    const pages = Array.from({ length: MAX_HELD_DUMPS }, (_, i) =>
      hold(service, `app${i}.dmp`, bytes),
    );
    const files = await Promise.all(pages.map((p) => p.file));
    const extra = hold(service, 'one-more.dmp', bytes);
    expect(await pages[0]!.ended).toMatchObject({
      reason: 'error',
      error: { code: 'limit-exceeded', message: expect.stringMatching(/app0\.dmp was closed/) },
    });
    const last = await extra.file;
    expect(new Set([...files, last]).size).toBe(MAX_HELD_DUMPS + 1);
    const chunk = await read(service, { pid: 4711, file: last, address: '0x7ff030', size: 4 });
    expect(Buffer.from(chunk.bytes).toString('latin1')).toBe(TEXT.slice(0, 4));
    for (const p of [...pages, extra]) p.close();
  });

  it('any answer to a read (pieces anywhere, of any length) is the bytes asked or a typed error', async () => {
    const service = createService();
    const bytes = core();
    const piece = fc.record({
      offset: fc.oneof(fc.nat(bytes.length + 10), fc.constant(Number.MAX_SAFE_INTEGER)),
      data: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 4 }), fc.boolean(), async (junk, honest) => {
        let open = false;
        const page = hold(service, 'core.999', bytes, (ranges) =>
          !open || honest
            ? ranges.map((r) => ({
                offset: r.offset,
                data: bytes.subarray(r.offset, r.offset + r.length).toString('base64'),
              }))
            : junk,
        );
        const file = await page.file;
        open = true;
        const answer = await read(service, {
          pid: 999,
          file,
          address: `0x${(CORE_AT + 0x1ff0n).toString(16)}`,
          size: TEXT.length,
        }).then(
          (chunk) => ({ ok: true as const, text: Buffer.from(chunk.bytes).toString('latin1') }),
          (err: { code: string; message: string }) => ({ ok: false as const, err }),
        );
        if (answer.ok) expect(answer.text).toBe(TEXT);
        else {
          expect(ERROR_CODES).toContain(answer.err.code);
          expect(answer.err.message).toMatch(/core\.999/);
        }
        page.close();
      }),
      { numRuns: 60 },
    );
  });

  it('a damaged file (bits flipped, cut short) opens to a file index or ends with a typed error', async () => {
    const service = createService();
    const files = [minidump(), core()];
    await fc.assert(
      fc.asyncProperty(
        fc.nat(1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (which, flips, cut) => {
          const bytes = Buffer.from(files[which]!);
          for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
          const damaged = cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length);
          const page = hold(service, 'damaged', damaged);
          const outcome = await Promise.race([page.file, page.ended]);
          if (typeof outcome !== 'number') {
            expect(outcome).toMatchObject({ kind: 'end', reason: 'error' });
            // Never an internal error: a bad file is named as one, or too big for the page.
            if (outcome.kind === 'end')
              expect(['malformed-file', 'limit-exceeded']).toContain(outcome.error?.code);
          }
          page.close();
        },
      ),
      { numRuns: 80 },
    );
  });
});
