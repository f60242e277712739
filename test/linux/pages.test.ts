import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { readRegionPages } from '../../src/core/sources/regionPages';
import type { RegionPages } from '../../src/shared/pageStates';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren, stopChild } from '../support/children';
import { type RegionsProcess, type RegionsReport, startRegionsHelper } from './regionsHelper';

afterAll(stopAllChildren);

const source = createLinuxSource();
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Page indexes that are resident, from the runs. */
const residentPages = (pages: RegionPages): number[] =>
  pages.runs
    .filter((r) => r.resident)
    .flatMap((r) => Array.from({ length: r.count }, (_, i) => r.start + i));

describe.runIf(process.platform === 'linux')('page states from /proc/PID/pagemap', () => {
  let helper: RegionsProcess;
  let maps: RegionsReport;
  beforeAll(async () => {
    helper = await startRegionsHelper();
    maps = helper.report;
  });
  const pagesOf = (base: string, size: number) =>
    readRegionPages(source, { pid: helper.pid, base, size });

  it('shows every page of the touched read-write region resident, private and soft-dirty', async () => {
    const pages = await pagesOf(maps.rw, maps.rwSize);
    expect(pages.pageCount).toBe(maps.rwSize / maps.pageSize);
    expect(pages.counts.resident).toBe(pages.pageCount);
    expect(pages.counts.shared).toBe(0);
    // A page faulted in since the soft-dirty bits were last cleared (never, here) is soft-dirty,
    // where the kernel keeps the bits at all (it then flags every new mapping `sd`).
    if (/^VmFlags:.* sd\b/m.test(readFileSync('/proc/self/smaps', 'latin1'))) {
      expect(pages.counts.softDirty).toBe(pages.pageCount);
    } else {
      expect(pages.counts.softDirty).toBeNull();
      expect(pages.unknown.join(' ')).toMatch(/CONFIG_MEM_SOFT_DIRTY/);
    }
    expect(pages.counts.dirty).toBeNull();
    expect(pages.unknown.join(' ')).toMatch(/dirty bit/);
  });

  it('shows no page of the untouched reservation resident', async () => {
    const pages = await pagesOf(maps.reserve, maps.reserveSize);
    expect(pages.counts.resident).toBe(0);
    expect(pages.runs).toHaveLength(1);
    expect(pages.runs[0]).toMatchObject({
      start: 0,
      count: maps.reserveSize / maps.pageSize,
      resident: false,
      swapped: false,
    });
  });

  it('tells the touched pages of a partly touched region from the untouched ones', async () => {
    const pages = await pagesOf(maps.shared, maps.sharedSize);
    const touched = maps.sharedTouched / maps.pageSize;
    expect(residentPages(pages)).toEqual(Array.from({ length: touched }, (_, i) => i));
    expect(pages.pageCount).toBe(maps.sharedSize / maps.pageSize);
  });

  it.runIf(isRoot)(
    'as root, reads share counts and the mlocked page from the page frames',
    async () => {
      const rw = await pagesOf(maps.rw, maps.rwSize);
      expect(rw.runs.every((r) => r.shareCount === 1 && r.locked === false)).toBe(true);
      // The mapped data file's pages are in the page cache and mapped here: counted at least once.
      const file = await pagesOf(maps.file, maps.fileSize);
      expect(file.runs.filter((r) => r.resident).every((r) => (r.shareCount ?? 0) >= 1)).toBe(true);
      if (maps.lockedOk) {
        const locked = await pagesOf(maps.locked, maps.pageSize);
        expect(locked.runs).toMatchObject([{ resident: true, locked: true }]);
      }
      expect(rw.unknown.join(' ')).not.toMatch(/root/);
    },
  );

  it.runIf(isRoot)(
    'without root, says the share counts are unknown and why, and still reads residency',
    async () => {
      // The helper and the reader both run as nobody: the reader may read the helper's pagemap, but
      // without CAP_SYS_ADMIN the kernel zeroes the page frame numbers.
      const dataFile = join(tmpdir(), `vmscope-pages-${process.pid}.bin`);
      writeFileSync(dataFile, Buffer.alloc(5 * 4096, 7));
      const asNobody = ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups'];
      const target = spawnChild('setpriv', [...asNobody, compileHelper('regions'), dataFile]);
      const report = JSON.parse(await firstLine(target)) as RegionsReport;
      const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
      const script = join(import.meta.dirname, 'pagesAsUser.ts');
      const output = execFileSync(
        'setpriv',
        [...asNobody, tsx, script, String(target.pid), report.rw, String(report.rwSize)],
        {
          encoding: 'utf8',
          env: { ...process.env, HOME: '/tmp' },
        },
      );
      const pages = JSON.parse(output.trim().split('\n').pop()!) as RegionPages;
      expect(pages.counts.resident).toBe(report.rwSize / report.pageSize);
      expect(pages.counts.shared).toBe(0); // from the exclusive-mapping bit, which needs no root
      expect(pages.runs.every((r) => r.shareCount === null && r.locked === null)).toBe(true);
      expect(pages.unknown.join(' ')).toMatch(/share counts .* without root/);
      await stopChild(target);
    },
  );

  it('refuses too many pages, a misaligned base and an exited process with clear errors', async () => {
    await expect(pagesOf(maps.reserve, 2 ** 40)).rejects.toMatchObject({
      code: 'limit-exceeded',
      message: expect.stringMatching(/up to 262,144 pages/),
    });
    await expect(pagesOf(`0x${(BigInt(maps.rw) + 1n).toString(16)}`, 4096)).rejects.toMatchObject({
      code: 'invalid-input',
    });
    const gone = await startRegionsHelper();
    await stopChild(gone.child);
    await expect(
      readRegionPages(source, { pid: gone.pid, base: gone.report.rw, size: 4096 }),
    ).rejects.toMatchObject({ code: 'process-exited' });
  });
});
