import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import type { Region, Snapshot } from '../../src/shared/model';
import { stopAllChildren } from '../support/children';
import { type RegionsProcess, startRegionsHelper } from './regionsHelper';

afterAll(stopAllChildren);

const source = createLinuxSource();
const big = (hex: string): bigint => BigInt(hex);

function regionAt(snapshot: Snapshot, address: string): Region {
  const found = snapshot.regions.find((r) => r.state !== 'free' && r.base === address);
  if (!found) throw new Error(`no region at ${address}`);
  return found;
}

function regionHolding(snapshot: Snapshot, address: bigint): Region | undefined {
  return snapshot.regions.find(
    (r) => big(r.base) <= address && address < big(r.base) + BigInt(r.size),
  );
}

/** smaps_rollup's `Name: N kB` fields in bytes. */
function rollup(pid: number): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1').split('\n')) {
    const m = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (m) fields.set(m[1]!, Number(m[2]) * 1024);
  }
  return fields;
}

/**
 * A snapshot and the rollup that matches it. Pss and the private/shared split of a file's pages
 * change whenever another process maps or unmaps the same pages (other tests run this helper,
 * and libc is everyone's), so the snapshot is taken between two equal rollups: nothing changed
 * while it was read. A bounded wait for that condition, not a retry of the comparison.
 */
async function snapshotWithRollup(
  pid: number,
): Promise<{ snapshot: Snapshot; totals: Map<string, number> }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const before = rollup(pid);
    const snapshot = await source.snapshot(pid, { includeFree: true });
    const totals = rollup(pid);
    if ([...totals].every(([k, v]) => before.get(k) === v)) return { snapshot, totals };
    if (Date.now() > deadline)
      throw new Error(`process ${pid}'s shared pages kept changing for 20 s`);
  }
}

describe.runIf(process.platform === 'linux')(
  'Linux snapshot of a process with known mappings',
  () => {
    let helper: RegionsProcess;
    let snapshot: Snapshot;
    let page: number;

    beforeAll(async () => {
      helper = await startRegionsHelper();
      page = helper.report.pageSize;
      snapshot = await source.snapshot(helper.pid, { includeFree: true });
    });

    it('names the process and tiles the whole user range with regions and free gaps, in order', () => {
      expect(snapshot).toMatchObject({ format: 'vmscope-snapshot', version: 2, source: 'linux' });
      expect(snapshot.process.pid).toBe(helper.pid);
      expect(snapshot.process.path).toMatch(/\/regions-[0-9a-f]+$/);
      const userEnd = big(snapshot.system.maxAddress) + 1n;
      let cursor = 0n;
      for (const r of snapshot.regions) {
        if (big(r.base) >= userEnd) break;
        expect(big(r.base)).toBe(cursor);
        cursor = big(r.base) + BigInt(r.size);
      }
      expect(cursor).toBe(userEnd);
      const vsyscall = snapshot.regions.find((r) => r.details === '[vsyscall]');
      // Above 2^53: the address must survive exactly.
      if (vsyscall) expect(vsyscall.base).toBe('0xffffffffff600000');
    });

    it('shows the PROT_NONE reservation as reserved, uncommitted, not resident', () => {
      const r = regionAt(snapshot, helper.report.reserve);
      expect(r).toMatchObject({
        size: helper.report.reserveSize,
        state: 'reserved',
        protect: 'PAGE_NOACCESS',
        type: 'private',
        kind: 'privateData',
        committed: 0,
        workingSet: { total: 0, private: 0, shareable: 0, shared: 0, locked: 0 },
      });
      expect(r.linux?.perms).toBe('---p');
    });

    it('shows the touched read-write region as committed private data, all of it resident and private', () => {
      const size = helper.report.rwSize;
      expect(regionAt(snapshot, helper.report.rw)).toMatchObject({
        size,
        state: 'committed',
        protect: 'PAGE_READWRITE',
        type: 'private',
        kind: 'privateData',
        committed: size,
        workingSet: { total: size, private: size, shareable: 0, shared: 0 },
        path: null,
      });
    });

    it('shows the read-only data file as a mapped file, all pages resident and shareable', () => {
      const size = helper.report.fileSize;
      const r = regionAt(snapshot, helper.report.file);
      expect(r).toMatchObject({
        size,
        state: 'committed',
        protect: 'PAGE_READONLY',
        type: 'mapped',
        kind: 'mappedFile',
        path: helper.dataFile,
        allocationBase: helper.report.file,
        workingSet: { total: size, shareable: size },
      });
      expect(r.linux).toMatchObject({ perms: 'r--p', offset: 0 });
      expect(r.linux?.inode).toBeGreaterThan(0);
    });

    it('shows an ELF file mapped read-only, never executable, as an image (by its magic)', () => {
      expect(regionAt(snapshot, helper.report.elf)).toMatchObject({
        type: 'image',
        kind: 'image',
        path: helper.elfFile,
      });
    });

    it('shows shared anonymous memory as mapped and shareable, with only the touched pages resident', () => {
      const touched = helper.report.sharedTouched;
      expect(regionAt(snapshot, helper.report.shared)).toMatchObject({
        size: helper.report.sharedSize,
        state: 'committed',
        protect: 'PAGE_READWRITE',
        type: 'mapped',
        kind: 'shareable',
        committed: helper.report.sharedSize,
        workingSet: { total: touched, shareable: touched },
      });
    });

    it('counts the mlock()ed page as locked', (ctx) => {
      if (!helper.report.lockedOk) ctx.skip(); // mlock refused (RLIMIT_MEMLOCK of 0 and no CAP_IPC_LOCK)
      expect(regionAt(snapshot, helper.report.locked)).toMatchObject({
        size: page,
        workingSet: { total: page, locked: page },
      });
    });

    it("finds each thread's stack by its stack pointer, guard page included, and the main thread's [stack]", () => {
      for (const t of helper.report.threads) {
        const top = big(t.stackLow) + BigInt(t.stackSize) - 1n;
        const stack = regionHolding(snapshot, top);
        expect(stack).toMatchObject({
          kind: 'stack',
          threadId: t.tid,
          type: 'private',
          state: 'committed',
        });
        const guard = snapshot.regions[snapshot.regions.indexOf(stack!) - 1];
        expect(guard).toMatchObject({
          state: 'reserved',
          kind: 'stack',
          threadId: t.tid,
          allocationBase: guard!.base,
        });
        expect(stack!.allocationBase).toBe(guard!.base);
      }
      const main = snapshot.regions.find((r) => r.linux?.perms && r.threadId === helper.pid);
      expect(main).toMatchObject({ kind: 'stack', type: 'private' });
    });

    it('agrees with /proc/PID/smaps_rollup on every total', async () => {
      const { snapshot, totals } = await snapshotWithRollup(helper.pid);
      const sum = (f: (r: Region) => number): number =>
        snapshot.regions.reduce((s, r) => s + f(r), 0);
      expect(sum((r) => r.workingSet.total)).toBe(totals.get('Rss'));
      expect(sum((r) => r.workingSet.private)).toBe(
        totals.get('Private_Clean')! + totals.get('Private_Dirty')!,
      );
      expect(sum((r) => r.workingSet.shared)).toBe(
        totals.get('Shared_Clean')! + totals.get('Shared_Dirty')!,
      );
      expect(sum((r) => r.workingSet.locked)).toBe(totals.get('Locked'));
      expect(sum((r) => r.linux?.swap ?? 0)).toBe(totals.get('Swap'));
      expect(sum((r) => r.linux?.anonymous ?? 0)).toBe(totals.get('Anonymous'));
      // smaps rounds each mapping's Pss down to a kB; the rollup rounds once.
      const mappings = snapshot.regions.filter((r) => r.linux).length;
      const pss = sum((r) => r.linux?.pss ?? 0);
      expect(pss).toBeLessThanOrEqual(totals.get('Pss')!);
      expect(pss).toBeGreaterThan(totals.get('Pss')! - mappings * 1024);
    });

    it('agrees with the counters read from status', () => {
      const committedOrReserved = snapshot.regions.filter(
        (r) => r.state !== 'free' && r.details !== '[vsyscall]',
      );
      const mapped = committedOrReserved.reduce((s, r) => s + r.size, 0);
      expect(mapped).toBe(snapshot.counters.virtualSize);
    });

    it('leaves out the free gaps with includeFree false and keeps every mapping', async () => {
      const withoutFree = await source.snapshot(helper.pid, { includeFree: false });
      expect(withoutFree.regions.some((r) => r.state === 'free')).toBe(false);
      expect(withoutFree.regions.map((r) => r.base)).toEqual(
        snapshot.regions.filter((r) => r.state !== 'free').map((r) => r.base),
      );
    });
  },
);
