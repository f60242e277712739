import { describe, expect, it } from 'vitest';
import { region } from '../../test/support/regionFixture';
import type { Region, Snapshot } from './model';
import { validateSnapshot } from './snapshotValidate';

const snap = (regions: Region[]) => ({ regions }) as Snapshot;
const problem = (regions: Region[]) => {
  try {
    validateSnapshot(snap(regions));
    return null;
  } catch (err) {
    return err as { code: string; message: string };
  }
};

describe('validating a snapshot beyond its schema', () => {
  it('accepts sound regions, up to the top of the 64-bit space', () => {
    expect(
      problem([
        region(0x1000n, 0x1000),
        region(0x2000n, 0x1000),
        region(0xffffffffff600000n, 0x1000),
      ]),
    ).toBeNull();
  });

  it('rejects overlapping regions, naming the region', () => {
    expect(problem([region(0x1000n, 0x2000), region(0x2000n, 0x1000)])).toMatchObject({
      code: 'malformed-file',
      message: expect.stringMatching(
        /^regions\[1\] \(0x2000\): overlaps the region before it, which ends at 0x3000/,
      ),
    });
  });

  it('rejects regions out of order', () => {
    expect(problem([region(0x5000n, 0x1000), region(0x1000n, 0x1000)])?.message).toMatch(
      /regions\[1\].*not in address order/,
    );
  });

  it('rejects impossible byte counts and addresses', () => {
    expect(problem([region(0x1000n, 0)])?.message).toMatch(/size above 0/);
    expect(problem([region(0x1000n, 0x1000, { committed: 0x2000 })])?.message).toMatch(
      /committed 8192 is more than its size/,
    );
    expect(
      problem([
        region(0x1000n, 0x1000, {
          workingSet: { total: 4096, private: 8192, shareable: 0, shared: 0, locked: 0 },
        }),
      ])?.message,
    ).toMatch(/private 8192 is more than its total/);
    expect(problem([region(0xfffffffffffff000n, 0x2000)])?.message).toMatch(/beyond the 64-bit/);
    expect(problem([region(0x1000n, 0x1000, { allocationBase: '0x9000' })])?.message).toMatch(
      /allocation base 0x9000 lies above/,
    );
  });

  it('takes an allocation rule only on a Linux region inside an allocation', () => {
    const inferred = { ...region(0x1000n, 0x1000), allocationRule: 'guard' as const };
    const linux = { source: 'linux', regions: [inferred] } as unknown as Snapshot;
    expect(validateSnapshot(linux)).toBe(linux);
    expect(() => validateSnapshot({ ...linux, source: 'windows' } as Snapshot)).toThrow(
      /allocationRule is only for inferred \(Linux\) allocations, not windows/,
    );
    expect(() =>
      validateSnapshot({ ...linux, regions: [{ ...inferred, allocationBase: null }] }),
    ).toThrow(/allocationRule needs an allocation base/);
  });

  it('rejects absurd region counts before looking at them', () => {
    const huge = { regions: { length: 5_000_000 } } as unknown as Snapshot;
    expect(() => validateSnapshot(huge)).toThrow(/5000000 regions is more than vmscope opens/);
  });
});
