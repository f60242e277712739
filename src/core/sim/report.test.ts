import { describe, expect, it } from 'vitest';
import type { Region } from '../../shared/model';
import { regionsFromColumns } from '../../shared/snapshotColumns';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { toRegions } from '../win32/regions';
import { GRANULARITY, USER_END, USER_MIN } from './layout';
import { addressUses, processRegionColumns, processRegions } from './report';
import type { WinResult } from './results';
import { FILE_MAP as F } from './sections';
import { createSimulation } from './simulation';

function ok<T>(r: WinResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.value;
}

/** A started process (images, PEB, TEB, stack, heap) plus reservations split into many runs and a view. */
function busyProcess() {
  const { process: p } = createSimulation();
  const big = ok(p.virtualAlloc(null, 0x100000n, M.MEM_RESERVE, P.PAGE_READWRITE));
  ok(p.virtualAlloc(big + 0x3000n, 0x5000n, M.MEM_COMMIT, P.PAGE_READWRITE));
  ok(p.virtualProtect(big + 0x4000n, 0x1000n, P.PAGE_READONLY | P.PAGE_GUARD));
  ok(p.virtualAlloc(big + 0x20000n, 0x1000n, M.MEM_COMMIT, P.PAGE_EXECUTE_READ));
  expect(p.access('write', big + 0x3000n, 0x1000n).ok).toBe(true);
  for (let i = 0; i < 5; i++)
    ok(
      p.virtualAlloc(
        null,
        BigInt(0x1000 * (i + 1)),
        M.MEM_RESERVE | M.MEM_COMMIT,
        P.PAGE_READWRITE,
      ),
    );
  const section = ok(p.mappings.create(null, P.PAGE_READWRITE, 0x30000, 'Shared'));
  const view = ok(p.mappings.map(section.handle, F.FILE_MAP_WRITE, 0, 0, null));
  expect(p.access('read', view, 0x2000n).ok).toBe(true);
  p.labels.set(big + 0x20000n, 'a label of one region');
  return p;
}

describe('processRegions', () => {
  it('gives what toRegions makes of the VirtualQuery walk, region for region', () => {
    const p = busyProcess();
    const regions = processRegions(p);
    // The walk as the Windows source makes it; the working sets and paths are the ones
    // processRegions found (they come from the simulator's page entries, not from the walk).
    const uses = addressUses(p);
    const expected: Region[] = [];
    for (let address = USER_MIN; address < USER_END;) {
      const mbi = ok(p.virtualQuery(address));
      const found = regions[expected.length]!;
      const free = mbi.state === M.MEM_FREE;
      const raw = {
        mbi,
        path: free ? null : found.path,
        workingSet: free ? null : found.workingSet,
      };
      expected.push(...toRegions(raw, uses, Number(GRANULARITY)));
      address = mbi.baseAddress + mbi.regionSize;
    }
    expect(regions).toEqual(expected);
    // The walk covered what matters here.
    const kinds = new Set(regions.map((r) => r.kind));
    for (const kind of ['unusable', 'free', 'image', 'heap', 'stack', 'shareable', 'privateData'])
      expect(kinds).toContain(kind);
    expect(regions.some((r) => r.details === 'a label of one region')).toBe(true);
    expect(regions.some((r) => r.protect === 'PAGE_READONLY|PAGE_GUARD')).toBe(true);
    expect(regions.some((r) => r.workingSet.total > 0 && r.kind === 'shareable')).toBe(true);
  });

  it('leaves the free regions out when asked', () => {
    const p = busyProcess();
    expect(processRegions(p, { includeFree: false })).toEqual(
      processRegions(p).filter((r) => r.state !== 'free'),
    );
  });

  it('as columns, gives the same regions, to the byte of their JSON', () => {
    const p = busyProcess();
    for (const includeFree of [true, false]) {
      const regions = processRegions(p, { includeFree });
      const columns = processRegionColumns(p, { includeFree });
      expect(columns.count).toBe(regions.length);
      const rebuilt = regionsFromColumns(columns);
      expect(rebuilt).toEqual(regions);
      expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(regions));
    }
  });
});
