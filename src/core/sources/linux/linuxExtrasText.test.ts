import { describe, expect, it } from 'vitest';
import { attachExtrasText, extrasTextOf } from '../../../shared/extrasText';
import { snapshotFromColumns } from '../../../shared/snapshotColumns';
import { snapshotToJson } from '../../../shared/snapshotJsonWriter';
import { SNAPSHOT_META } from '../../../../test/support/snapshotFixture';
import { LinuxExtrasText } from './linuxExtrasText';
import { executableFiles } from './mappingKinds';
import { regionColumnsFromSmaps } from './regionsFromSmaps';
import { type FixtureMapping, smapsText } from './smapsFixture';
import { SmapsScanner } from './smapsScanner';

const PAGE = 0x1000n;

/** Mappings whose region.linux differ every way the text can: paths, flags, absent fields. */
function mappings(): FixtureMapping[] {
  const out: FixtureMapping[] = [];
  let at = 0x10000n;
  const add = (m: Omit<FixtureMapping, 'start' | 'end'>, pages = 1, gap = 0): void => {
    at += BigInt(gap) * PAGE;
    out.push({ ...m, start: at, end: at + BigInt(pages) * PAGE });
    at += BigInt(pages) * PAGE;
  };
  const lib = { path: '/usr/lib/a "quoted"\\ é.so', device: 'fd:01', inode: 77 };
  add({ perms: 'r--p', ...lib, kb: { Rss: 4, Pss: 4, Referenced: 4 } });
  add({ perms: 'r-xp', ...lib, offset: 0x1000, vmFlags: 'rd ex mr mw me' }, 3);
  // Guard pages and untouched memory: rows of the same values, one after another.
  for (let i = 0; i < 5; i++) add({ perms: i % 2 ? '---p' : 'rw-p', vmFlags: '' }, 1, i % 3);
  // An older kernel leaves fields out: the first four smaps fields count as 0, the others are absent.
  add({ perms: 'rw-p', omit: ['Swap', 'Referenced', 'Pss_Dirty', 'THPeligible'] }, 2, 4);
  add({ perms: 'rw-s', path: '/dev/shm/x', device: '00:1a', inode: 9, kb: { Rss: 8 } }, 2);
  add({ perms: 'rw-p', path: '[stack]', kb: { Rss: 12, Anonymous: 12, Swap: 4 } }, 3, 10);
  return out;
}

/** The smaps text with a ProtectionKey line in every other mapping (printed only on some CPUs). */
function smapsBytes(): Buffer {
  let k = 0;
  const text = smapsText(mappings()).replace(/^VmFlags:/gm, (line) =>
    k++ % 2 ? `ProtectionKey:         ${k}\n${line}` : line,
  );
  return Buffer.from(text, 'latin1');
}

const OPTIONS = { stackPointers: new Map(), pid: 100, userEnd: 0x800000000000 };

/** The document from the extras' columns, and from the text written in `step`s while the bytes were fed `piece` at a time. */
function bothWays(
  piece: number,
  step: number,
  includeFree: boolean,
  blockBytes: number,
  bytes = smapsBytes(),
): { columns: string; text: string } {
  const whole = new SmapsScanner();
  whole.feed(bytes);
  const fromColumns = regionColumnsFromSmaps(whole, {
    ...OPTIONS,
    images: executableFiles(whole),
    includeFree,
  });

  const scanner = new SmapsScanner();
  const text = new LinuxExtrasText(blockBytes);
  let pos = 0;
  for (let end = piece; pos < bytes.length; end += piece) {
    pos = scanner.feed(bytes, pos, Math.min(end, bytes.length));
    while (text.step(scanner, step));
  }
  const columns = regionColumnsFromSmaps(scanner, {
    ...OPTIONS,
    images: executableFiles(scanner),
    includeFree,
  });
  attachExtrasText(columns, text.byRegion(scanner, columns));
  expect(extrasTextOf(columns)).toBeDefined();
  return {
    columns: snapshotToJson(snapshotFromColumns(SNAPSHOT_META, fromColumns)),
    text: snapshotToJson(snapshotFromColumns(SNAPSHOT_META, columns)),
  };
}

describe('region.linux as text', () => {
  it.each([
    [64, 1, true, 1 << 20],
    [300, 2, false, 1 << 20],
    [1 << 20, 100, true, 1 << 20],
    // Blocks smaller than a mapping needs: one each, runs of the same fields copied across blocks.
    [300, 3, true, 1200],
  ])(
    'is what the writer writes from the columns (fed %i bytes at a time, %i mappings a step, free gaps %s, blocks of %i bytes)',
    (piece, step, includeFree, blockBytes) => {
      const { columns, text } = bothWays(piece, step, includeFree, blockBytes);
      expect(text).toBe(columns);
      const regions = (JSON.parse(text) as { regions: { linux?: Record<string, unknown> }[] })
        .regions;
      expect(regions.filter((r) => r.linux).length).toBe(mappings().length);
      expect(regions.some((r) => r.linux?.protectionKey !== undefined)).toBe(true);
      // The older kernel's mapping: Swap counts as 0, Pss_Dirty is left out.
      expect(regions.some((r) => r.linux?.swap === 0 && r.linux.pssDirty === undefined)).toBe(true);
    },
  );

  it('tells apart mappings alike in all but a value too large for 32 bits of kB', () => {
    // Reservations of 5 and 6 TiB, one after the other: their Size in kB passes 2^32 (spilled).
    const TiB = 2n ** 40n;
    const at = 0x100000000n;
    const bytes = Buffer.from(
      smapsText([
        { start: at, end: at + 5n * TiB, perms: '---p' },
        { start: at + 5n * TiB, end: at + 11n * TiB, perms: '---p' },
      ]),
      'latin1',
    );
    for (const piece of [40, 1 << 20]) {
      const { columns, text } = bothWays(piece, 1, false, 1 << 20, bytes);
      expect(text).toBe(columns);
      const regions = (JSON.parse(text) as { regions: { linux?: { size: number } }[] }).regions;
      expect(regions.map((r) => r.linux?.size)).toEqual([5 * 2 ** 40, 6 * 2 ** 40]);
    }
  });
});
