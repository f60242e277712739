import { describe, expect, it } from 'vitest';
import { smapsText } from './smapsFixture';
import { FIELD, FIELD_COUNT, SmapsScanner } from './smapsScanner';

const sample = smapsText([
  {
    start: 0x400000n,
    end: 0x452000n,
    perms: 'r-xp',
    path: '/usr/bin/with space',
    device: 'fd:01',
    inode: 1234,
    kb: { Rss: 300, Private_Clean: 12 },
  },
  // A number wider than the kernel's 8 columns, and a field left out: the general path.
  {
    start: 0x7f0000000000n,
    end: 0x7f0000001000n,
    perms: 'rw-p',
    kb: { Rss: 123456789, Swap: 8 },
    omit: ['KSM'],
  },
  {
    start: 0x7f0000001000n,
    end: 0x7f0000002000n,
    perms: '---p',
    kb: { Locked: 4 },
    vmFlags: 'mr mw me',
  },
  {
    start: 0xffffffffff600000n,
    end: 0xffffffffff601000n,
    perms: '--xp',
    path: '[vsyscall]',
    vmFlags: 'ex',
  },
]);

/** Feeds text in pieces the way SmapsReader does: the unfinished line is carried into the next piece. */
function scanInPieces(text: string, size: number): SmapsScanner {
  const scanner = new SmapsScanner();
  let carry = '';
  for (let at = 0; at < text.length; at += size) {
    const piece = carry + text.slice(at, at + size);
    carry = piece.slice(scanner.feed(piece));
  }
  if (carry) scanner.feed(carry);
  return scanner;
}

const values = (s: SmapsScanner, i: number): number[] =>
  Array.from({ length: FIELD_COUNT }, (_, field) => s.value(i, field));

describe('SmapsScanner', () => {
  it('reads every header column and field, in bytes', () => {
    const s = scanInPieces(sample, sample.length);
    expect(s.mappings.map((m) => [m.startHex, m.perms, m.device, m.inode, m.path])).toEqual([
      ['00400000', 'r-xp', 'fd:01', 1234, '/usr/bin/with space'],
      ['7f0000000000', 'rw-p', '00:00', 0, ''],
      ['7f0000001000', '---p', '00:00', 0, ''],
      ['ffffffffff600000', '--xp', '00:00', 0, '[vsyscall]'],
    ]);
    const [exe, wide, reserved, vsyscall] = s.mappings;
    expect(exe).toMatchObject({ start: 0x400000, end: 0x452000, high: false });
    expect(s.value(exe!.slot, FIELD.Rss)).toBe(300 * 1024);
    expect(s.value(exe!.slot, FIELD.Private_Clean)).toBe(12 * 1024);
    expect(s.value(wide!.slot, FIELD.Rss)).toBe(123456789 * 1024);
    expect(s.value(wide!.slot, FIELD.Swap)).toBe(8 * 1024);
    expect(s.value(wide!.slot, FIELD.KSM)).toBeNaN();
    expect(s.value(reserved!.slot, FIELD.Locked)).toBe(4096);
    expect(s.value(reserved!.slot, FIELD.THPeligible)).toBe(0);
    expect(reserved!.vmFlags).toEqual(['mr', 'mw', 'me']);
    expect(vsyscall).toMatchObject({ high: true, endHex: 'ffffffffff601000', vmFlags: ['ex'] });
  });

  it('gives the same result however the text is cut into chunks', () => {
    const whole = scanInPieces(sample, sample.length);
    for (const size of [1, 7, 64, 333]) {
      const pieces = scanInPieces(sample, size);
      expect(pieces.mappings).toEqual(whole.mappings);
      for (let i = 0; i < whole.mappings.length; i++)
        expect(values(pieces, i)).toEqual(values(whole, i));
    }
  });

  it('leaves out a mapping printed again overlapping the one before, fields and flags too', () => {
    // What a resumed read shows when a mapping grew across the address it stopped at.
    const text = smapsText([
      { start: 0x10000n, end: 0x30000n, perms: 'rw-p', kb: { Rss: 8 }, vmFlags: 'rd wr' },
      { start: 0x20000n, end: 0x40000n, perms: 'r--p', kb: { Rss: 99 }, vmFlags: 'rd' },
      { start: 0x30000n, end: 0x31000n, perms: 'rw-p', kb: { Rss: 4 }, vmFlags: 'rd wr mr' },
    ]);
    for (const size of [text.length, 64]) {
      const s = scanInPieces(text, size);
      expect(s.overlapsSkipped).toBe(1);
      expect(s.mappings.map((m) => [m.start, m.end, m.vmFlags.join(' ')])).toEqual([
        [0x10000, 0x30000, 'rd wr'],
        [0x30000, 0x31000, 'rd wr mr'],
      ]);
      expect([s.value(0, FIELD.Rss), s.value(1, FIELD.Rss)]).toEqual([8192, 4096]);
    }
  });

  it('grows its field store past the initial capacity', () => {
    const many = smapsText(
      Array.from({ length: 600 }, (_, i) => ({
        start: BigInt(0x10000000 + i * 0x2000),
        end: BigInt(0x10001000 + i * 0x2000),
        perms: 'rw-p',
        kb: { Rss: i },
      })),
    );
    const s = scanInPieces(many, 4096);
    expect(s.mappings).toHaveLength(600);
    expect(s.value(599, FIELD.Rss)).toBe(599 * 1024);
  });

  it('reads the bytes the kernel prints: a path is UTF-8, and one string serves every mapping of it', () => {
    const text = smapsText([
      {
        start: 0x400000n,
        end: 0x401000n,
        perms: 'r--p',
        path: '/srv/café data',
        device: 'fd:01',
        inode: 9,
      },
      {
        start: 0x401000n,
        end: 0x402000n,
        perms: 'r-xp',
        path: '/srv/café data',
        device: 'fd:01',
        inode: 9,
      },
      {
        start: 0x500000n,
        end: 0x501000n,
        perms: 'rw-p',
        path: '/srv/caf\u00e9 dat\u00e5',
        device: 'fd:01',
        inode: 10,
      },
    ]);
    const s = new SmapsScanner();
    const bytes = Buffer.from(text, 'utf8');
    expect(s.feed(bytes)).toBe(bytes.length);
    expect([s.pathOf(0), s.pathOf(2)]).toEqual(['/srv/café data', '/srv/café datå']);
    expect(s.path[1]).toBe(s.path[0]);
    expect(s.paths).toHaveLength(2);
  });

  it('reads a line the layout learned for another field by its own name', () => {
    // Learned from the first mapping, line 3 is Rss and line 6 Shared_Clean. Without one of them,
    // the next field falls on its line at the same width: Pss in place of Rss, and Shared_Dirty,
    // whose name has the same length and first letter, in place of Shared_Clean.
    const text = smapsText([
      { start: 0x10000n, end: 0x11000n, perms: 'rw-p', kb: { Rss: 4, Shared_Clean: 1 } },
      { start: 0x20000n, end: 0x21000n, perms: 'rw-p', kb: { Pss: 7 }, omit: ['Rss'] },
      {
        start: 0x30000n,
        end: 0x31000n,
        perms: 'rw-p',
        kb: { Shared_Dirty: 9 },
        omit: ['Shared_Clean'],
      },
      { start: 0x40000n, end: 0x41000n, perms: 'rw-p', kb: { Rss: 8, Shared_Clean: 2 } },
    ]);
    const s = scanInPieces(text, text.length);
    const at = (i: number, field: keyof typeof FIELD): number => s.value(i, FIELD[field]);
    expect([at(1, 'Rss'), at(1, 'Pss')]).toEqual([Number.NaN, 7 * 1024]);
    expect([at(2, 'Shared_Clean'), at(2, 'Shared_Dirty')]).toEqual([Number.NaN, 9 * 1024]);
    expect([at(3, 'Rss'), at(3, 'Shared_Clean'), at(3, 'Pss')]).toEqual([8192, 2048, 0]);
  });

  it('keeps no field of a left-out mapping for the next one, which lacks it', () => {
    const text = smapsText([
      { start: 0x10000n, end: 0x30000n, perms: 'rw-p', kb: { KSM: 4 } },
      { start: 0x20000n, end: 0x40000n, perms: 'rw-p', kb: { KSM: 12, Swap: 8 } },
      { start: 0x30000n, end: 0x31000n, perms: 'rw-p', omit: ['KSM', 'Swap'] },
    ]);
    for (const size of [text.length, 50]) {
      const s = scanInPieces(text, size);
      expect(s.overlapsSkipped).toBe(1);
      expect(s.value(0, FIELD.KSM)).toBe(4096);
      expect(s.value(1, FIELD.KSM)).toBeNaN();
      expect(s.value(1, FIELD.Swap)).toBeNaN();
    }
  });

  it('keeps exact bytes where a value does not fit 32 bits of kB or comes in another unit', () => {
    const TiB = 2n ** 40n;
    const text = smapsText([
      // 16 TiB (ASan's shadow is as large): its Size in kB passes 2^32.
      { start: 0x100000000n, end: 0x100000000n + 16n * TiB, perms: '---p', kb: { Swap: 4 } },
      { start: 0x200000000000n, end: 0x200000001000n, perms: 'rw-p', kb: { Rss: 4 } },
    ]).replace(/^Rss: +4 kB$/m, `Rss:${' '.repeat(12)}${'4097'.padStart(8)}`);
    for (const size of [text.length, 13]) {
      const s = scanInPieces(text, size);
      expect(s.value(0, FIELD.Size)).toBe(Number(16n * TiB));
      expect(s.value(0, FIELD.Swap)).toBe(4096);
      // A number without ` kB` is bytes, whatever the field.
      expect(s.value(1, FIELD.Rss)).toBe(4097);
      expect(s.value(1, FIELD.Size)).toBe(4096);
      expect(s.spilled.size).toBe(2);
    }
  });

  it('keeps no spilled value of a left-out mapping for the next one', () => {
    const TiB = 2n ** 40n;
    const text = smapsText([
      { start: 0x10000n, end: 0x30000n, perms: 'rw-p' },
      { start: 0x20000n, end: 0x20000n + 8n * TiB, perms: 'rw-p' },
      { start: 0x30000n, end: 0x31000n, perms: 'rw-p', omit: ['Size'] },
    ]);
    for (const size of [text.length, 50]) {
      const s = scanInPieces(text, size);
      expect(s.overlapsSkipped).toBe(1);
      expect([s.value(0, FIELD.Size), s.value(1, FIELD.Size)]).toEqual([128 * 1024, Number.NaN]);
      expect(s.spilled.size).toBe(0);
    }
  });

  it('tells apart strings of one length that alternate from mapping to mapping', () => {
    const text = smapsText(
      Array.from({ length: 6 }, (_, i) => ({
        start: BigInt(0x10000 + i * 0x1000),
        end: BigInt(0x11000 + i * 0x1000),
        perms: i % 2 ? 'r--p' : 'rw-p',
        path: i % 2 ? '/lib/b.so' : '/lib/a.so',
        device: i % 2 ? 'fd:02' : 'fd:01',
        vmFlags: i % 2 ? 'rd ex' : 'rd wr',
      })),
    );
    const s = scanInPieces(text, text.length);
    expect(s.mappings.map((m) => `${m.path} ${m.device} ${m.vmFlags.join(' ')}`)).toEqual(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 ? '/lib/b.so fd:02 rd ex' : '/lib/a.so fd:01 rd wr',
      ),
    );
    expect([s.paths.length, s.devices.length]).toEqual([2, 2]);
  });
  it('reads addresses and offsets of every width, letters included', () => {
    const cases = [
      { start: 0x1000n, offset: 0 },
      { start: 0xabcdef000n, offset: 0xfedcba987 },
      { start: 0x7ffe9a3c5000n, offset: 0x1abcdef0 },
      { start: 0x7fffffffe000n, offset: 0x12345 },
      { start: 0xffffffffff600000n, offset: 0xa },
    ];
    const text = smapsText(
      cases.map(({ start, offset }) => ({ start, end: start + 0x1000n, perms: 'r--p', offset })),
    );
    const s = scanInPieces(text, text.length);
    expect(s.mappings.map((m) => [m.startHex, m.offset])).toEqual(
      cases.map(({ start, offset }) => [start.toString(16).padStart(8, '0'), offset]),
    );
    expect(s.mappings.slice(0, 4).map((m) => [m.start, m.end])).toEqual(
      cases.slice(0, 4).map(({ start }) => [Number(start), Number(start) + 0x1000]),
    );
  });

  it('reads VmFlags of any length on the line learned for them, and a field that moves onto it', () => {
    const flags = ['rd wr mr mw me ac', 'rd', '', 'rd ex mr mw me dw sd', 'mr'];
    const text = smapsText(
      flags.map((vmFlags, i) => ({
        start: BigInt(0x10000 + i * 0x1000),
        end: BigInt(0x11000 + i * 0x1000),
        perms: 'rw-p',
        vmFlags,
        // The second mapping lacks THPeligible: its VmFlags comes a line early, and the third's
        // THPeligible then sits on a line last learned as VmFlags.
        omit: i === 1 ? ['THPeligible'] : [],
        kb: { Locked: i },
      })),
    );
    for (const size of [text.length, 1, 29]) {
      const s = scanInPieces(text, size);
      expect(s.mappings.map((m) => m.vmFlags.join(' '))).toEqual(flags);
      expect(flags.map((_, i) => s.value(i, FIELD.THPeligible))).toEqual([0, Number.NaN, 0, 0, 0]);
      expect(flags.map((_, i) => s.value(i, FIELD.Locked))).toEqual(flags.map((_, i) => i * 1024));
    }
  });
});
