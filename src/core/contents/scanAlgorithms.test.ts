import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemoryChunk, MemoryHole } from '../../shared/memoryContents';
import { formatAddress } from '../../shared/address';
import type { FoundString } from '../../shared/memoryScan';
import type { Source } from '../sources/source';
import { newProgress, scanChunks } from './chunkScan';
import { ContentStatsBuilder } from './contentStats';
import type { ScanTarget } from './scanTargets';
import { findInChunk } from './searchChunk';
import { StringScanner } from './stringScanner';

const BASE = 0x10000n;

/** A source whose only memory is `bytes` at BASE, with `holes` (offsets from BASE). */
function fakeSource(bytes: Uint8Array, holes: MemoryHole[] = []): Source {
  return {
    readMemory: async (_pid: number, address: bigint, size: number): Promise<MemoryChunk> => {
      const from = Number(address - BASE);
      const out = bytes.slice(from, from + size);
      const chunkHoles = holes
        .filter((h) => h.offset < from + size && h.offset + h.size > from)
        .map((h) => {
          const start = Math.max(h.offset, from);
          const end = Math.min(h.offset + h.size, from + size);
          out.fill(0, start - from, end - from);
          return { offset: start - from, size: end - start, reason: h.reason };
        });
      return { address: formatAddress(address), bytes: out, holes: chunkHoles };
    },
  } as Source;
}

const target = (size: number): ScanTarget => ({
  base: BASE,
  size,
  regionBase: formatAddress(BASE),
});

async function steps(source: Source, size: number, overlap: number, chunk: number) {
  const out = [];
  const t = [target(size)];
  for await (const step of scanChunks(source, 1, t, overlap, () => false, newProgress(t), chunk))
    out.push(step);
  return out;
}

describe('search', () => {
  it('finds a pattern that straddles two chunks exactly once, and none under a hole', async () => {
    const bytes = new Uint8Array(3 * 4096);
    const pattern = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    bytes.set(pattern, 4096 - 3); // straddles the first chunk boundary
    bytes.set(pattern, 100);
    bytes.set(pattern, 2 * 4096 + 10); // under the hole
    const source = fakeSource(bytes, [{ offset: 2 * 4096, size: 4096, reason: 'no-access' }]);
    const found: number[] = [];
    for (const step of await steps(source, bytes.length, pattern.length - 1, 4096))
      for (const at of findInChunk(step, pattern)) found.push(step.offset + at);
    expect(found).toEqual([100, 4096 - 3]);
  });
});

describe('strings', () => {
  async function stringsOf(bytes: Uint8Array, holes: MemoryHole[] = [], chunk = 4096) {
    const found: FoundString[] = [];
    const scanners = [
      new StringScanner('ascii', 4, (f) => found.push(f)),
      new StringScanner('utf16le', 4, (f) => found.push(f)),
    ];
    for (const step of await steps(fakeSource(bytes, holes), bytes.length, 0, chunk))
      for (const s of scanners) s.scan(step);
    return found.map((f) => [Number(BigInt(f.address) - BASE), f.encoding, f.text]);
  }

  it('finds ASCII and UTF-16LE runs of at least the minimum length, also across chunks', async () => {
    const bytes = new Uint8Array(2 * 4096);
    bytes.set(Buffer.from('hello world'), 10);
    bytes.set(Buffer.from('abc'), 40); // too short
    bytes.set(Buffer.from('straddling'), 4096 - 4);
    bytes.set(Buffer.from('Wide text', 'utf16le'), 200);
    expect(await stringsOf(bytes)).toEqual([
      [10, 'ascii', 'hello world'],
      [200, 'utf16le', 'Wide text'],
      [4096 - 4, 'ascii', 'straddling'],
    ]);
  });

  it('ends a run at a hole and at the region end', async () => {
    const bytes = new Uint8Array(2 * 4096).fill(0x61);
    const found = await stringsOf(bytes, [{ offset: 4096, size: 4096, reason: 'guard' }], 1024);
    expect(found).toEqual([[0, 'ascii', 'a'.repeat(4096)]]);
  });
});

describe('content statistics', () => {
  it('counts zero pages, distinct pages and byte entropy, leaving holes out', async () => {
    const bytes = new Uint8Array(6 * 4096);
    bytes.fill(0x41, 0, 4096);
    bytes.fill(0x41, 4096, 2 * 4096); // a copy of page 0
    for (let i = 0; i < 4096; i++) bytes[2 * 4096 + i] = i & 0xff; // 256 values, evenly
    const holes: MemoryHole[] = [{ offset: 5 * 4096, size: 4096, reason: 'no-access' }];
    const builder = new ContentStatsBuilder(formatAddress(BASE), bytes.length);
    for (const step of await steps(fakeSource(bytes, holes), bytes.length, 0, 2 * 4096))
      builder.add(step);
    const stats = builder.result();
    expect(stats).toMatchObject({ pages: 5, zeroPages: 2, distinctPages: 3, holeBytes: 4096 });
    // 0 and 'A' are each 2/5 of the bytes plus one 1/1280 share; the 254 other values 1/1280 each.
    const common = 0.4 + 1 / 1280;
    const rare = 1 / 1280;
    const expected = -2 * common * Math.log2(common) - 254 * rare * Math.log2(rare);
    expect(stats.entropy).toBeCloseTo(expected, 6);
  });
});

describe('strings against a plain reference', () => {
  /** The reference: every run of printable bytes (ASCII) or printable-then-zero pairs at even offsets (UTF-16LE). */
  function reference(bytes: Uint8Array, min: number): [number, string, string][] {
    const out: [number, string, string][] = [];
    const text = Buffer.from(bytes).toString('latin1');
    for (const m of text.matchAll(/[\x20-\x7e\t]+/g))
      if (m[0].length >= min) out.push([m.index, 'ascii', m[0]]);
    let start = -1;
    for (let i = 0; i + 1 < bytes.length + 2; i += 2) {
      const ok =
        i + 1 < bytes.length &&
        /[\x20-\x7e\t]/.test(String.fromCharCode(bytes[i]!)) &&
        bytes[i + 1] === 0;
      if (ok && start < 0) start = i;
      if (!ok && start >= 0) {
        const s = Buffer.from(bytes.subarray(start, i)).toString('utf16le');
        if (s.length >= min) out.push([start, 'utf16le', s]);
        start = -1;
      }
    }
    return out.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  }

  it('finds exactly the reference strings in random memory, whatever the chunk size', async () => {
    const byte = fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(byte, { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 64 }),
        async (list, chunkWords) => {
          const bytes = Uint8Array.from(list);
          const found: [number, string, string][] = [];
          const scanners = (['ascii', 'utf16le'] as const).map(
            (e) =>
              new StringScanner(e, 3, (f) =>
                found.push([Number(BigInt(f.address) - BASE), f.encoding, f.text]),
              ),
          );
          for (const step of await steps(fakeSource(bytes), bytes.length, 0, chunkWords * 4))
            for (const s of scanners) s.scan(step);
          found.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
          expect(found).toEqual(reference(bytes, 3));
        },
      ),
      { numRuns: 200 },
    );
  });
});
