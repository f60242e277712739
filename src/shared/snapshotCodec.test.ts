import { describe, expect, it } from 'vitest';
import type { Region, Snapshot } from './model';
import { SNAPSHOT_META } from '../../test/support/snapshotFixture';
import { decodeSnapshot, encodeSnapshot, isEncodedSnapshot } from './snapshotCodec';

const ws = { total: 4096, private: 0, shareable: 4096, shared: 4096, locked: 0 };
const regions: Region[] = [
  {
    base: '0x0',
    size: 0x400000,
    allocationBase: null,
    state: 'free',
    protect: null,
    allocationProtect: null,
    type: null,
    kind: 'free',
    committed: 0,
    workingSet: { total: 0, private: 0, shareable: 0, shared: 0, locked: 0 },
    path: null,
    details: null,
  },
  {
    base: '0x7f1234560000',
    size: 8192,
    allocationBase: '0x7f1234560000',
    allocationRule: 'same-file',
    state: 'committed',
    protect: 'PAGE_EXECUTE_READ',
    allocationProtect: 'PAGE_EXECUTE_READ',
    type: 'image',
    kind: 'image',
    committed: 8192,
    workingSet: ws,
    path: '/usr/lib/x86_64-linux-gnu/libc.so.6',
    details: null,
    linux: {
      perms: 'r-xp',
      vmFlags: ['rd', 'ex', 'mr'],
      offset: 4096,
      device: '08:01',
      inode: 1234,
      pss: 100.5,
      swap: 0,
      anonymous: 0,
      referenced: 4096,
      pssDirty: undefined as unknown as number,
    },
  },
  {
    base: '0xffffffffff600000',
    size: 4096,
    allocationBase: '0xffffffffff600000',
    state: 'committed',
    protect: 'PAGE_EXECUTE',
    allocationProtect: 'PAGE_EXECUTE',
    type: 'private',
    kind: 'other',
    committed: 4096,
    workingSet: { total: 0, private: 0, shareable: 0, shared: 0, locked: 0 },
    path: null,
    details: '[vsyscall]',
    threadId: 4242,
    linux: {
      perms: '--xp',
      vmFlags: [],
      offset: 0,
      device: '00:00',
      inode: 0,
      pss: 0,
      swap: 0,
      anonymous: 0,
      referenced: 0,
    },
    windows: { memType: null, nested: { a: [1, 2] } },
  },
];

const snapshot: Snapshot = { ...SNAPSHOT_META, regions, durationMs: 12.5 };

describe('the snapshot codec', () => {
  it('round-trips every field, addresses above 2^53 included', () => {
    const encoded = encodeSnapshot(snapshot);
    expect(isEncodedSnapshot(encoded)).toBe(true);
    const decoded = decodeSnapshot(encoded);
    // undefined extras are left out, as JSON would.
    expect(decoded).toEqual(JSON.parse(JSON.stringify(snapshot)));
    expect(decoded.regions[2]!.base).toBe('0xffffffffff600000');
    expect(decoded.regions.map((r) => r.allocationRule)).toEqual([
      undefined,
      'same-file',
      undefined,
    ]);
  });

  it('is several times smaller than JSON for a large snapshot', () => {
    const many: Region[] = [];
    for (let i = 0; i < 5000; i++)
      many.push({ ...regions[1]!, base: `0x${(0x7f0000000000 + i * 4096).toString(16)}` });
    const big = { ...snapshot, regions: many };
    const encoded = encodeSnapshot(big);
    expect(encoded.data.byteLength * 3).toBeLessThan(JSON.stringify(big).length);
    expect(decodeSnapshot(encoded).regions[4999]!.base).toBe(many[4999]!.base);
  });

  it('rejects a buffer that is not an encoded snapshot', () => {
    expect(() => decodeSnapshot({ $codec: 'snapshot', data: new ArrayBuffer(16) })).toThrow(
      /Not an encoded vmscope snapshot/,
    );
  });
});
