import type { Region, Snapshot } from '../../../../shared/model';
import { regionListOf } from '../../../../shared/regionList';
import { SNAPSHOT_META } from '../../../../../test/support/snapshotFixture';
import { region } from '../../../../../test/support/regionFixture';

/**
 * Regions for the inspector hooks' tests: one reservation of three regions (allocation 0),
 * a one-region heap (allocation 1), then free space (allocation 2).
 */
export const inspectorRegions: Region[] = [
  region(0x10000, 0x1000, {
    allocationBase: '0x10000',
    workingSet: { total: 0x1000, private: 0x1000, shareable: 0, shared: 0, locked: 0 },
  }),
  region(0x11000, 0x2000, {
    allocationBase: '0x10000',
    protect: 'PAGE_READONLY',
    committed: 0x2000,
  }),
  region(0x13000, 0x3000, {
    allocationBase: '0x10000',
    state: 'reserved',
    committed: 0,
    protect: null,
  }),
  region(0x20000, 0x4000, {
    kind: 'heap',
    protect: 'PAGE_READWRITE|PAGE_GUARD',
    workingSet: { total: 0x2000, private: 0x1000, shareable: 0, shared: 0, locked: 0 },
  }),
  region(0x24000, 0x10000, {
    state: 'free',
    type: null,
    kind: 'free',
    allocationBase: null,
    committed: 0,
    protect: 'PAGE_NOACCESS',
    allocationProtect: null,
  }),
];

/** Those regions as a snapshot. */
export const inspectorSnapshot: Snapshot = { ...SNAPSHOT_META, regions: inspectorRegions };

/** Those regions as the inspector reads them. */
export const inspectorList = regionListOf(inspectorRegions);
