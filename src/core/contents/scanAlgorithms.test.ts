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
import { STRINGS_OVERLAP, StringScanner } from './stringScanner';

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

const target = (size: number, offset = 0): ScanTarget => ({
  base: BASE + BigInt(offset),
  size,
  regionBase: formatAddress(BASE + BigInt(offset)),
});

/** The steps of a scan of `regions` ([offset from BASE, size] each, in address order). */
async function steps(
  source: Source,
  size: number,
  overlap: number,
  chunk: number,
  regions: [number, number][] = [[0, size]],
) {
  const out = [];
  const t = regions.map(([offset, length]) => target(length, offset));
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

  it('finds a pattern across two regions side by side, once, and never across a gap', async () => {
    const bytes = new Uint8Array(5 * 4096);
    const pattern = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]);
    bytes.set(pattern, 4096 - 4); // regions 0 and 1 touch: found, in region 0
    bytes.set(pattern, 2 * 4096 - 2); // region 1 ends at 2 pages, region 2 starts at 3: a gap
    bytes.set(pattern, 3 * 4096 - 5); // the gap's end and region 2: not found
    bytes.set(pattern, 3 * 4096 + 20); // inside region 2
    const regions: [number, number][] = [
      [0, 4096],
      [4096, 4096],
      [3 * 4096, 2 * 4096],
    ];
    const found: [string, number][] = [];
    for (const step of await steps(fakeSource(bytes), 0, pattern.length - 1, 4096, regions))
      for (const at of findInChunk(step, pattern))
        found.push([step.target.regionBase, Number(step.target.base - BASE) + step.offset + at]);
    expect(found).toEqual([
      [formatAddress(BASE), 4096 - 4],
      [formatAddress(BASE + 3n * 4096n), 3 * 4096 + 20],
    ]);
  });

  it('finds a pattern at an odd address (UTF-16 text is not always aligned)', async () => {
    const bytes = new Uint8Array(2 * 4096);
    const wide = Buffer.from('OddWide', 'utf16le');
    bytes.set(wide, 333);
    bytes.set(wide, 4096 - 7); // odd, and across the chunk boundary
    const found: number[] = [];
    for (const step of await steps(fakeSource(bytes), bytes.length, wide.length - 1, 4096))
      for (const at of findInChunk(step, wide)) found.push(step.offset + at);
    expect(found).toEqual([333, 4096 - 7]);
  });
});

describe('strings', () => {
  async function stringsOf(
    bytes: Uint8Array,
    holes: MemoryHole[] = [],
    chunk = 4096,
    regions?: [number, number][],
  ) {
    const found: FoundString[] = [];
    const scanners = [
      new StringScanner('ascii', 4, (f) => found.push(f)),
      new StringScanner('utf16le', 4, (f) => found.push(f)),
    ];
    const source = fakeSource(bytes, holes);
    for (const step of await steps(source, bytes.length, STRINGS_OVERLAP, chunk, regions))
      for (const s of scanners) s.scan(step);
    return found
      .map((f) => [Number(BigInt(f.address) - BASE), f.encoding, f.text, f.regionBase] as const)
      .sort((a, b) => a[0] - b[0])
      .map((f) => (regions ? f : f.slice(0, 3)));
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

  it('finds UTF-16LE strings at odd addresses, also across a chunk boundary', async () => {
    const bytes = new Uint8Array(2 * 4096);
    bytes.set(Buffer.from('Odd wide', 'utf16le'), 101);
    bytes.set(Buffer.from('Straddles', 'utf16le'), 4096 - 7); // a character on bytes 4095-4096
    expect(await stringsOf(bytes)).toEqual([
      [101, 'utf16le', 'Odd wide'],
      [4096 - 7, 'utf16le', 'Straddles'],
    ]);
  });

  it('goes on into the next region when it starts where the last ends, not across a gap', async () => {
    const page = 4096;
    const bytes = new Uint8Array(6 * page);
    const at = (r: number) => formatAddress(BASE + BigInt(r));
    // Regions of pages [0, 1), [1, 2) and [2, 3) touch; page 3 is no region; then [4, 6).
    const regions: [number, number][] = [
      [0, page],
      [page, page],
      [2 * page, page],
      [4 * page, 2 * page],
    ];
    bytes.set(Buffer.from('Wide joined', 'utf16le'), page - 11); // odd: a character on 4095-4096
    bytes.set(Buffer.from('joined-across'), 2 * page - 6);
    bytes.set(Buffer.from('cut by a gap'), 3 * page - 5);
    bytes.set(Buffer.from('in the last region'), 4 * page + 1);
    expect(await stringsOf(bytes, [], 1024, regions)).toEqual([
      [page - 11, 'utf16le', 'Wide joined', at(0)],
      [2 * page - 6, 'ascii', 'joined-across', at(page)],
      [3 * page - 5, 'ascii', 'cut b', at(2 * page)],
      [4 * page + 1, 'ascii', 'in the last region', at(4 * page)],
    ]);
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
  /** The reference: every run of printable bytes (ASCII) or printable-then-zero pairs from even or odd offsets (UTF-16LE). */
  function reference(bytes: Uint8Array, min: number): [number, string, string][] {
    const out: [number, string, string][] = [];
    const text = Buffer.from(bytes).toString('latin1');
    for (const m of text.matchAll(/[\x20-\x7e\t]+/g))
      if (m[0].length >= min) out.push([m.index, 'ascii', m[0]]);
    for (const parity of [0, 1]) utf16Runs(bytes, parity, min, out);
    return out.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  }

  function utf16Runs(
    bytes: Uint8Array,
    parity: number,
    min: number,
    out: [number, string, string][],
  ): void {
    let start = -1;
    for (let i = parity; i + 1 < bytes.length + 2; i += 2) {
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
  }

  it('finds exactly the reference strings in random memory, whatever the chunk size', async () => {
    const byte = fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(byte, { minLength: 1, maxLength: 3000, size: 'medium' }),
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
          const source = fakeSource(bytes);
          for (const step of await steps(source, bytes.length, STRINGS_OVERLAP, chunkWords * 4))
            for (const s of scanners) s.scan(step);
          found.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
          expect(found).toEqual(reference(bytes, 3));
        },
      ),
      { numRuns: 200 },
    );
  });
});
