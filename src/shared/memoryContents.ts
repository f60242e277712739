/**
 * What a read of a process's memory returns, on every source (Linux, Windows, the simulator, the
 * live sandbox child, and the contents captured in a dump or core file). A page that cannot be
 * read is a hole with its reason, never zeros: a leak hunter must not mistake "unreadable" for
 * "all zero".
 */

export const HOLE_REASONS = [
  'free',
  'reserved',
  'no-access',
  'guard',
  'swapped',
  'not-resident',
  'not-captured',
  'unreadable',
] as const;
export type HoleReason = (typeof HOLE_REASONS)[number];

export interface MemoryHole {
  /** Byte offset from the chunk's address. */
  offset: number;
  size: number;
  reason: HoleReason;
}

export interface MemoryChunk {
  /** Hex address of the first byte asked for, as every address in the data model. */
  address: string;
  /** Exactly the size asked for; the bytes under a hole are zero and must not be shown as data. */
  bytes: Uint8Array;
  /** Sorted and disjoint. */
  holes: MemoryHole[];
}
