import type { Region } from '../../src/shared/model';

/** A committed private region at `base` for tests; any field can be overridden. */
export function region(base: bigint | number, size: number, over: Partial<Region> = {}): Region {
  const hex = `0x${base.toString(16)}`;
  return {
    base: hex,
    size,
    allocationBase: hex,
    state: 'committed',
    protect: 'PAGE_READWRITE',
    allocationProtect: 'PAGE_READWRITE',
    type: 'private',
    kind: 'privateData',
    committed: size,
    workingSet: { total: 0, private: 0, shareable: 0, shared: 0, locked: 0 },
    path: null,
    details: null,
    ...over,
  };
}
