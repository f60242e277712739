import { describe, expect, it } from 'vitest';
import { region } from '../../test/support/regionFixture';
import { LINUX_EXTRA_FIELDS } from './linuxExtras';
import type { LinuxRegionInfo, Region } from './model';
import { columnsFromRegions, regionsFromColumns } from './snapshotColumns';

const ROLLUP_ONLY = ['pssAnon', 'pssFile', 'pssShmem'];

/**
 * region.linux as a current kernel prints it, keys in LINUX_EXTRA_FIELDS' order: every field but
 * the rollup-only Pss_Anon/File/Shmem and the protection key, unless `over` gives them.
 */
function linux(seed: number, over: Record<string, unknown> = {}): LinuxRegionInfo {
  const extra: Record<string, unknown> = {};
  for (const [k, f] of LINUX_EXTRA_FIELDS.entries()) {
    const value =
      f.key in over
        ? over[f.key]
        : [...ROLLUP_ONLY, 'protectionKey'].includes(f.key)
          ? undefined
          : f.kind === 'string'
            ? `s${seed}`
            : f.kind === 'words'
              ? ['rd', 'wr']
              : seed * 4096 + k;
    if (value !== undefined) extra[f.key] = value;
  }
  return extra as LinuxRegionInfo;
}

const at = (i: number, extra: LinuxRegionInfo): Region =>
  region(0x7f0000000000 + i * 0x1000, 4096, { linux: extra });

describe('region.linux built as one literal', () => {
  it('builds the same objects, keys in the same order, as the general builder', () => {
    const regions = [
      // Every field once, so the columns have them in LINUX_EXTRA_FIELDS' order, as the Linux
      // source's have (a region with rollup fields is built the general way).
      at(9, linux(9, { pssAnon: 1, pssFile: 2, pssShmem: 3, protectionKey: 4 })),
      at(0, linux(1)),
      // Above 2^30 and fractional: kept exactly (small integers only are stored unboxed).
      at(1, linux(2, { size: 2 ** 40, pss: 2048.5, inode: 2 ** 33 + 1 })),
      at(2, linux(3, { protectionKey: 0 })),
      // An older kernel (no KSM line): built the general way, the key left out.
      at(3, linux(4, { ksm: undefined })),
      // smaps_rollup's fields are not smaps': a region with one is built the general way too.
      at(4, linux(5, { pssAnon: 4096 })),
      region(0x7f0000010000, 4096),
    ];
    const back = regionsFromColumns(columnsFromRegions(regions));
    const plain = JSON.parse(JSON.stringify(regions)) as Region[];
    expect(back).toEqual(plain);
    expect(JSON.stringify(back)).toBe(JSON.stringify(regions));
    for (const [i, r] of back.entries())
      expect(Object.keys(r.linux ?? {})).toEqual(Object.keys(plain[i]!.linux ?? {}));
    expect(back[2]!.linux!.size).toBe(2 ** 40);
    expect(back[3]!.linux!.protectionKey).toBe(0);
    expect('ksm' in back[4]!.linux!).toBe(false);
    expect(back[5]!.linux!.pssAnon).toBe(4096);
    // The same frozen VmFlags list for every region that has it.
    expect(back[1]!.linux!.vmFlags).toBe(back[3]!.linux!.vmFlags);
    expect(back[6]!.linux).toBeUndefined();
  });
});
