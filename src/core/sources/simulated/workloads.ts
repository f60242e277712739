/**
 * What the simulated processes do, one tick at a time, through the same API a script uses
 * (VirtualAlloc, VirtualFree, memory accesses). Each workload is a small state machine; the
 * machine calls `tick` every TICK_MS of simulated time with the machine's seeded generator.
 */
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../../shared/winConstants';
import { PAGE_SIZE } from '../../sim/layout';
import type { SimProcess } from '../../sim/process';
import { FILE_MAP, sectionsOf } from '../../sim/sections';
import type { Random } from './random';

export interface Workload {
  tick(process: SimProcess, random: Random): void;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const PAGE = BigInt(PAGE_SIZE);

/** Reserve `reserve` bytes and commit the first `commit` of them read-write; 0n when it failed. */
function arena(process: SimProcess, reserve: number, commit: number): bigint {
  const r = process.virtualAlloc(null, BigInt(reserve), M.MEM_RESERVE, P.PAGE_NOACCESS);
  if (!r.ok) return 0n;
  if (commit > 0) process.virtualAlloc(r.value, BigInt(commit), M.MEM_COMMIT, P.PAGE_READWRITE);
  return r.value;
}

/** A reservation a workload fills from the bottom: `used` bytes of it are committed. */
class GrowingArena {
  base = 0n;
  used = 0;

  /** Reserve on first use (committing `initial` bytes); false while there is no arena. */
  ready(process: SimProcess, reserve: number, initial: number): boolean {
    if (this.base === 0n) {
      this.base = arena(process, reserve, initial);
      this.used = initial;
    }
    return this.base !== 0n;
  }
}

/** Write every page of [base+from, base+to) once (first touch: demand-zero faults). */
function writePages(process: SimProcess, base: bigint, from: number, to: number): void {
  for (let offset = from; offset < to; offset += PAGE_SIZE)
    process.access('write', base + BigInt(offset), 8n);
}

/** Touch `count` random pages of the first `size` bytes at `base`, reading mostly and writing some. */
function touchRandom(
  process: SimProcess,
  random: Random,
  base: bigint,
  size: number,
  count: number,
): void {
  const pages = Math.floor(size / PAGE_SIZE);
  for (let i = 0; i < count; i++) {
    const page = BigInt(Math.floor(random() * pages));
    process.access(random() < 0.25 ? 'write' : 'read', base + page * PAGE, 8n);
  }
}

/** A service whose memory use is flat: one working buffer, touched at random. */
export function steadyService(size = 24 * MiB): Workload {
  let base = 0n;
  return {
    tick(process, random) {
      if (base === 0n) base = arena(process, size, size);
      if (base !== 0n) touchRandom(process, random, base, size, 16);
    },
  };
}

/**
 * A service that leaks: every tick it commits and fills a little more of a large arena and never
 * gives it back. When the arena is full or the commit limit refuses more, it "crashes" and is
 * restarted: everything is released and it begins again.
 */
export function leakingService(
  bytesPerTick = 16 * KiB,
  arenaSize = 1024 * MiB,
  baseline = 8 * MiB,
): Workload {
  const a = new GrowingArena();
  return {
    tick(process, random) {
      if (!a.ready(process, arenaSize, baseline)) return;
      touchRandom(process, random, a.base, baseline, 16);
      const grow =
        a.used + bytesPerTick <= arenaSize &&
        process.virtualAlloc(
          a.base + BigInt(a.used),
          BigInt(bytesPerTick),
          M.MEM_COMMIT,
          P.PAGE_READWRITE,
        ).ok;
      if (!grow) {
        process.virtualFree(a.base, 0n, M.MEM_RELEASE);
        a.base = 0n;
        return;
      }
      writePages(process, a.base, a.used, a.used + bytesPerTick);
      a.used += bytesPerTick;
    },
  };
}

/**
 * A garbage-collected heap: allocation commits and fills more of the heap every tick until it
 * reaches the collection threshold; the collection then decommits everything above the live set.
 * Private bytes draw a sawtooth with a flat trend.
 */
export function gcSawtooth(live = 8 * MiB, threshold = 32 * MiB, chunk = 256 * KiB): Workload {
  const a = new GrowingArena();
  return {
    tick(process, random) {
      if (!a.ready(process, threshold * 2, live)) return;
      // The allocation rate varies by ±50 % so the period is not perfectly regular.
      const bytes = Math.round((chunk * (0.5 + random())) / PAGE_SIZE) * PAGE_SIZE;
      if (a.used + bytes > threshold) {
        process.virtualFree(a.base + BigInt(live), BigInt(a.used - live), M.MEM_DECOMMIT);
        a.used = live;
        touchRandom(process, random, a.base, live, 64);
        return;
      }
      process.virtualAlloc(a.base + BigInt(a.used), BigInt(bytes), M.MEM_COMMIT, P.PAGE_READWRITE);
      writePages(process, a.base, a.used, a.used + bytes);
      a.used += bytes;
    },
  };
}

/** The dynamic array's observable state (for the views and the tests). */
export interface DynamicArrayState {
  base: bigint;
  /** Pages committed in the current round. */
  committedPages: number;
  /** Rounds that filled all MAX_PAGE pages and released them. */
  completedRounds: number;
}

/**
 * The seed notes' dynamic array: reserve MAX_PAGE pages, write the next element each tick, and
 * when the write hits a reserved page (an access violation inside the reservation) commit that
 * page and retry. When all MAX_PAGE pages are full, release the reservation and start again.
 */
export function dynamicArray(
  maxPage = 256,
  bytesPerTick = 4 * KiB,
): Workload & { state: DynamicArrayState } {
  const state: DynamicArrayState = { base: 0n, committedPages: 0, completedRounds: 0 };
  let written = 0;
  const limit = maxPage * PAGE_SIZE;
  return {
    state,
    tick(process) {
      if (state.base === 0n) {
        const r = process.virtualAlloc(null, BigInt(limit), M.MEM_RESERVE, P.PAGE_NOACCESS);
        if (!r.ok) return;
        state.base = r.value;
        state.committedPages = 0;
        written = 0;
      }
      if (written >= limit) {
        process.virtualFree(state.base, 0n, M.MEM_RELEASE);
        state.base = 0n;
        state.completedRounds++;
        return;
      }
      const address = state.base + BigInt(written);
      let result = process.access('write', address, BigInt(bytesPerTick));
      // The exception filter: an access violation inside the reservation commits the page it hit.
      while (
        !result.ok &&
        result.exception.name === 'EXCEPTION_ACCESS_VIOLATION' &&
        result.exception.address < state.base + BigInt(limit)
      ) {
        if (
          !process.virtualAlloc(result.exception.address, PAGE, M.MEM_COMMIT, P.PAGE_READWRITE).ok
        )
          return;
        state.committedPages++;
        result = process.access('write', address, BigInt(bytesPerTick));
      }
      written += bytesPerTick;
    },
  };
}

/** A view of a section the workload made or opened on its first tick; 0n until then (or if it failed). */
function mapSection(
  process: SimProcess,
  file: string | null,
  protect: number,
  size: number,
  name: string | null,
  access: number,
): bigint {
  const created = process.mappings.create(file, protect, file === null ? size : 0, name);
  if (!created.ok) return 0n;
  const view = process.mappings.map(created.value.handle, access, 0, 0, null);
  return view.ok ? view.value : 0n;
}

/** Touch `pages` pages from `cursor` on (wrapping at `size`), returning the next cursor. */
function sweep(
  process: SimProcess,
  kind: 'read' | 'write',
  base: bigint,
  size: number,
  cursor: number,
  pages: number,
): number {
  let at = cursor;
  for (let i = 0; i < pages; i++) {
    process.access(kind, base + BigInt(at), 8n);
    at = (at + PAGE_SIZE) % size;
  }
  return at;
}

/** Reads a large file through a read-only view, front to back and round again: hard faults first, then soft ones from standby. */
export function mappedFileReader(
  path = 'C:\\Data\\archive.dat',
  size = 64 * MiB,
  pagesPerTick = 64,
): Workload {
  let base = 0n;
  let cursor = 0;
  return {
    tick(process) {
      if (base === 0n) {
        sectionsOf(process.machine).files.set(path, size);
        base = mapSection(process, path, P.PAGE_READONLY, 0, null, FILE_MAP.FILE_MAP_READ);
        if (base === 0n) return;
      }
      cursor = sweep(process, 'read', base, size, cursor, pagesPerTick);
    },
  };
}

/**
 * One side of a shared ring buffer in a named pagefile-backed section: the producer writes pages,
 * the consumer reads them. Whichever starts second gets the same section (ERROR_ALREADY_EXISTS),
 * so the pages are resident once and shared by both working sets.
 */
export function sharedRing(
  role: 'producer' | 'consumer',
  name = 'Local\\ContosoRing',
  size = 8 * MiB,
  pagesPerTick = 32,
): Workload {
  let base = 0n;
  let cursor = 0;
  const access = role === 'producer' ? FILE_MAP.FILE_MAP_WRITE : FILE_MAP.FILE_MAP_READ;
  return {
    tick(process) {
      if (base === 0n) base = mapSection(process, null, P.PAGE_READWRITE, size, name, access);
      if (base !== 0n)
        cursor = sweep(
          process,
          role === 'producer' ? 'write' : 'read',
          base,
          size,
          cursor,
          pagesPerTick,
        );
    },
  };
}
