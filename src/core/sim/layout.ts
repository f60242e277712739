/**
 * Windows x64 address-space layout and the arithmetic on it. Addresses are bigint (the user
 * range is 47 bits, and callers may pass anything up to 2^64); page numbers, which are at most
 * 2^35, are plain numbers so per-page maps stay fast.
 */
import { formatAddress } from '../../shared/address';
import type { SystemLayout } from '../../shared/model';

export const PAGE_SIZE = 4096;
export const PAGE = 4096n;
export const PAGE_SHIFT = 12n;
export const GRANULARITY = 65536n;
/** Lowest address VirtualAlloc may use (the first 64 KiB are never mapped). */
export const USER_MIN = 0x10000n;
/** Highest user-mode address (lpMaximumApplicationAddress). */
export const USER_MAX = 0x7ffffffeffffn;
/** One past the last user page. */
export const USER_END = USER_MAX + 1n;

export const alignDown = (value: bigint, to: bigint): bigint => value - (value % to);
export const alignUp = (value: bigint, to: bigint): bigint => alignDown(value + to - 1n, to);

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The page holding `address` (no bigint arithmetic below 2^53, which covers every user address). */
export const pageOf = (address: bigint): number =>
  address <= SAFE ? Math.floor(Number(address) / PAGE_SIZE) : Number(address >> PAGE_SHIFT);
/** The first address of `page` (page · 4096 is exact in a double for every page number). */
export const addressOfPage = (page: number): bigint => BigInt(page * PAGE_SIZE);

export function systemLayout(): SystemLayout {
  return {
    pageSize: PAGE_SIZE,
    allocationGranularity: Number(GRANULARITY),
    minAddress: formatAddress(USER_MIN),
    maxAddress: formatAddress(USER_MAX),
  };
}
