import type { WorkingSet } from '../../shared/model';
import { protectName } from '../../shared/winConstants';

/**
 * PSAPI_WORKING_SET_EX_BLOCK, the attributes QueryWorkingSetEx returns for one page. All the
 * bits we read sit in the low 32 bits: Valid (0), ShareCount (1-3), Win32Protection (4-14),
 * Shared (15), Locked (22).
 */
export const WORKING_SET_EX_ENTRY_SIZE = 16;

const VALID = 0x1;
const SHARE_COUNT_SHIFT = 1;
const SHARE_COUNT_MASK = 0x7;
const PROTECTION_SHIFT = 4;
const PROTECTION_MASK = 0x7ff;
const SHARED = 1 << 15;
const LOCKED = 1 << 22;

/** The bits of one page's attributes that vmscope reads. */
export interface WorkingSetBits {
  valid: boolean;
  /** The working sets holding the page, 0 for a private one; stops at 7. */
  shareCount: number;
  /** The page's PAGE_* protection while it is valid, else 0. */
  win32Protection: number;
  shared: boolean;
  locked: boolean;
}

export function workingSetBits(attributes: number): WorkingSetBits {
  return {
    valid: (attributes & VALID) !== 0,
    shareCount: (attributes >>> SHARE_COUNT_SHIFT) & SHARE_COUNT_MASK,
    win32Protection: (attributes >>> PROTECTION_SHIFT) & PROTECTION_MASK,
    shared: (attributes & SHARED) !== 0,
    locked: (attributes & LOCKED) !== 0,
  };
}

export function emptyWorkingSet(): WorkingSet {
  return { total: 0, private: 0, shareable: 0, shared: 0, locked: 0 };
}

/**
 * Adds one page to a region's working set the way System Informer and VMMap count it:
 * a resident (Valid) page counts in total; ShareCount 0 makes it private, above 1 shared;
 * the Shared bit makes it shareable (it may be mapped elsewhere); Locked counts as locked.
 */
export function addPage(ws: WorkingSet, attributes: number, pageSize: number): void {
  const bits = workingSetBits(attributes);
  if (!bits.valid) return;
  ws.total += pageSize;
  if (bits.shareCount === 0) ws.private += pageSize;
  if (bits.shareCount > 1) ws.shared += pageSize;
  if (bits.shared) ws.shareable += pageSize;
  if (bits.locked) ws.locked += pageSize;
}

/**
 * Fills a PSAPI_WORKING_SET_EX_INFORMATION array for `count` pages from `first`, one entry per
 * page: VirtualAddress in, attributes out.
 */
export function fillWorkingSetQuery(
  buf: Buffer,
  first: bigint,
  count: number,
  pageSize: number,
): void {
  const step = BigInt(pageSize);
  for (let i = 0; i < count; i++) {
    buf.writeBigUInt64LE(first + BigInt(i) * step, i * WORKING_SET_EX_ENTRY_SIZE);
    buf.writeBigUInt64LE(0n, i * WORKING_SET_EX_ENTRY_SIZE + 8);
  }
}

export function pageAttributes(buf: Buffer, index: number): number {
  return buf.readUInt32LE(index * WORKING_SET_EX_ENTRY_SIZE + 8);
}

/** A QueryWorkingSetEx step's info: the block's fields by their C names (Win32Protection as a PAGE_* name, null for 0). */
export function workingSetExJson(bits: WorkingSetBits): Record<string, number | string | null> {
  return {
    Valid: bits.valid ? 1 : 0,
    ShareCount: bits.shareCount,
    Win32Protection: protectName(bits.win32Protection),
    Shared: bits.shared ? 1 : 0,
    Locked: bits.locked ? 1 : 0,
  };
}
