import { VmscopeError } from './errors';
import type { Snapshot } from './model';
import { MAX_REGIONS } from './snapshotJson';

/**
 * The largest snapshot file vmscope opens. A real 65,530-mapping process with free gaps writes
 * about 100 MB of JSON; parsing costs several times a file's size in memory, so the cap keeps an
 * import of a huge or hostile file from exhausting the machine.
 */
export const MAX_SNAPSHOT_FILE_BYTES = 256 * 1024 * 1024;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The refusal for a file over the cap, the same from the CLI and the UI. */
export function fileTooLarge(
  name: string,
  bytes: number,
  limit = MAX_SNAPSHOT_FILE_BYTES,
  atLeast = false,
): VmscopeError {
  const what = limit === MAX_SNAPSHOT_FILE_BYTES ? 'snapshot files' : 'files like this';
  return new VmscopeError(
    'limit-exceeded',
    `${name} is ${atLeast ? 'at least ' : ''}${mib(bytes)}; vmscope opens ${what} up to ${mib(limit)}.`,
  );
}

const fail = (where: string, what: string): never => {
  throw new VmscopeError('malformed-file', `${where}: ${what}.`);
};

const hex = (n: bigint): string => `0x${n.toString(16)}`;

/**
 * What a schema cannot say about a snapshot: the regions are in address order, do not overlap,
 * stay inside 64 bits, and their byte counts fit inside them; only a Linux snapshot's regions
 * carry an allocation rule, and only inside an allocation. Throws `malformed-file` naming the
 * first region that is wrong; returns the snapshot when it is sound.
 */
export function validateSnapshot(snapshot: Snapshot): Snapshot {
  const regions = snapshot.regions;
  if (regions.length > MAX_REGIONS) {
    fail('regions', `${regions.length} regions is more than vmscope opens (${MAX_REGIONS})`);
  }
  let previousBase = -1n;
  let previousEnd = -1n;
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i]!;
    const where = `regions[${i}] (${r.base})`;
    const base = BigInt(r.base);
    if (r.size <= 0) fail(where, 'a region must have a size above 0');
    const end = base + BigInt(r.size);
    if (end > 1n << 64n) fail(where, 'ends beyond the 64-bit address space');
    if (base < previousBase) fail(where, 'regions are not in address order');
    if (base < previousEnd)
      fail(where, `overlaps the region before it, which ends at ${hex(previousEnd)}`);
    previousBase = base;
    previousEnd = end;
    if (r.committed > r.size)
      fail(where, `committed ${r.committed} is more than its size ${r.size}`);
    const ws = r.workingSet;
    if (ws.total > r.size) fail(where, `working set ${ws.total} is more than its size ${r.size}`);
    for (const part of ['private', 'shareable', 'shared', 'locked'] as const) {
      if (ws[part] > ws.total)
        fail(where, `working set ${part} ${ws[part]} is more than its total ${ws.total}`);
    }
    if (r.allocationBase !== null && BigInt(r.allocationBase) > base) {
      fail(where, `its allocation base ${r.allocationBase} lies above the region`);
    }
    if (r.allocationRule !== undefined) {
      if (snapshot.source !== 'linux')
        fail(
          where,
          `allocationRule is only for inferred (Linux) allocations, not ${snapshot.source}`,
        );
      if (r.allocationBase === null) fail(where, 'allocationRule needs an allocation base');
    }
  }
  return snapshot;
}
