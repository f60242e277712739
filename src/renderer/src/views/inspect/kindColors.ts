import type { RegionKind, RegionState } from '../../../../shared/model';
import type { RegionType } from '../../../../shared/model';
import { baseProtection } from '../../../../shared/regionFilter';
import { i18next } from '../../i18n';

/** VMMap's palette, roughly: each kind keeps its color everywhere (summary, table, map, treemap). */
export const KIND_COLORS: Record<RegionKind, string> = {
  image: '#b38cd9',
  mappedFile: '#5fa8e8',
  shareable: '#3fb5a3',
  heap: '#e8935f',
  stack: '#e86f7f',
  privateData: '#f0d878',
  pageTable: '#a3d36b',
  unusable: '#9aa0a8',
  free: 'transparent',
  other: '#8a9bb0',
};

/** A kind's name in the UI's language (kinds.<kind>); the data keeps the kind's key. */
export const kindLabel = (kind: RegionKind): string => i18next.t(`kinds.${kind}`);

/** A region table or summary column's header in the UI's language (columns.<key>). */
export const columnLabel = (key: string): string => i18next.t(`columns.${key}`);

/** A region's state or type, shown in the UI's language (the data and exports keep the key). */
export const stateLabel = (state: RegionState): string => i18next.t(`regionStates.${state}`);
export const typeLabel = (type: RegionType): string => i18next.t(`regionTypes.${type}`);

export const STATE_COLORS: Record<RegionState, string> = {
  free: 'transparent',
  reserved: '#c6ccd6',
  committed: '#4f8fe6',
};

const PROTECTION_COLORS: Record<string, string> = {
  PAGE_NOACCESS: '#c6ccd6',
  PAGE_READONLY: '#6cbf84',
  PAGE_READWRITE: '#4f8fe6',
  PAGE_WRITECOPY: '#8fb3f0',
  PAGE_EXECUTE: '#e8935f',
  PAGE_EXECUTE_READ: '#e8b45f',
  PAGE_EXECUTE_READWRITE: '#e85f5f',
  PAGE_EXECUTE_WRITECOPY: '#e87f9f',
};

export function protectionColor(protect: string | null): string {
  return protect === null ? '#c6ccd6' : (PROTECTION_COLORS[baseProtection(protect)] ?? '#a0a0a0');
}

export type ColorBy = 'kind' | 'state' | 'protection';
