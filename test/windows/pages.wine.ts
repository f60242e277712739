/**
 * region.pages on Windows against the real QueryWorkingSetEx, under Wine (scripts/test-windows.sh
 * bundles this file with the others): pages this process committed and touched are resident,
 * committed but untouched ones and reserved ones are not.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readRegionPages } from '../../src/core/sources/regionPages';
import { createWindowsSource } from '../../src/core/sources/windows/windowsSource';
import { MEM_FLAGS, PAGE_FLAGS } from '../../src/shared/winConstants';
import { testProcessApi } from './testProcess';

const { MEM_COMMIT, MEM_RELEASE, MEM_RESERVE } = MEM_FLAGS;
const api = testProcessApi();
const KiB = 1024;
const hex = (n: bigint) => `0x${n.toString(16)}`;

describe('page states from QueryWorkingSetEx', () => {
  test('a committed-and-touched region is resident and private; an untouched one and a reserved one are not', async () => {
    const source = createWindowsSource();
    const base = BigInt(api.VirtualAlloc(0n, 256 * KiB, MEM_RESERVE, PAGE_FLAGS.PAGE_READWRITE));
    assert.notEqual(base, 0n, 'VirtualAlloc(MEM_RESERVE) failed');
    try {
      // Pages 0-15 committed and touched, 16-31 committed only, 32-63 reserved.
      assert.equal(
        BigInt(api.VirtualAlloc(base, 128 * KiB, MEM_COMMIT, PAGE_FLAGS.PAGE_READWRITE)),
        base,
      );
      api.memset(base, 0x5a, 64 * KiB);
      const pages = await readRegionPages(source, {
        pid: process.pid,
        base: hex(base),
        size: 256 * KiB,
      });
      assert.equal(pages.source, 'windows');
      assert.equal(pages.pageCount, 64);
      const resident = pages.runs.filter((r) => r.resident).map((r) => [r.start, r.count]);
      assert.deepEqual(resident, [[0, 16]]);
      assert.equal(pages.counts.resident, 16);
      assert.equal(pages.counts.shared, 0);
      assert.equal(pages.counts.locked, 0);
      assert.equal(pages.counts.dirty, null, 'QueryWorkingSetEx reports no dirty bit');
      assert.match(pages.unknown.join(' '), /dirty/);
    } finally {
      api.VirtualFree(base, 0, MEM_RELEASE);
    }
  });

  test('a pid that does not exist is process-exited', async () => {
    const source = createWindowsSource();
    await assert.rejects(
      readRegionPages(source, { pid: 0x7ffffff0, base: '0x10000', size: 4096 }),
      { code: 'process-exited' },
    );
  });
});
