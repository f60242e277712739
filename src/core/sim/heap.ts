/**
 * Windows heaps on the simulated address space (HeapCreate, HeapAlloc, HeapFree, HeapReAlloc,
 * HeapSize, HeapValidate, HeapWalk, HeapDestroy, GetProcessHeaps). A heap is segments reserved
 * with VirtualAlloc and committed as allocations need them; blocks carry a 16-byte header and are
 * 16-byte aligned; blocks above the large-block threshold get their own VirtualAlloc. Contents are
 * not stored: an allocation writes its header (and, with HEAP_ZERO_MEMORY, its bytes), so the
 * pages it touches enter the working set as a real heap's would.
 *
 * Rules cite Wine's dlls/kernel32/tests/heap.c (test_HeapCreate), which asserts what Windows does,
 * and the Heap* documentation.
 */
import {
  HEAP_FLAGS,
  MEM_FLAGS as M,
  PAGE_FLAGS as P,
  type WinErrorName,
  type WinExceptionName,
} from '../../shared/winConstants';
import { PAGE_SIZE } from './layout';
import type { VirtualMemory } from './virtualMemory';
import { failure, success } from './results';

export { HEAP_FLAGS };
const F = HEAP_FLAGS;

/** Block alignment and the per-block header (x64: 2 × sizeof(void *)). */
export const BLOCK_ALIGN = 16;
export const BLOCK_OVERHEAD = 16;
/**
 * In a growable heap, blocks above this go to their own VirtualAlloc (x64's VirtualMemoryThreshold,
 * 0xFE00 16-byte units). Wine: 3 × 256 KiB still reallocates in place in a segment; 1 MiB and
 * 5 × 256 KiB + 1 are separate regions (iRegionIndex 64).
 */
export const LARGE_BLOCK_THRESHOLD = 0xfe000;
/** Header of a large block's own allocation. */
export const LARGE_BLOCK_OVERHEAD = 0x40;
/** The heap structure at the start of the first segment (Wine: the region entry's cbData ≤ 0x1000). */
export const HEAP_HEADER = 0x800;
const SEGMENT_HEADER = 0x40;
/** The process heap reserves this much: the image's SizeOfHeapReserve, 1 MiB by default. */
export const PROCESS_HEAP_RESERVE = 0x100000;
/**
 * Windows 8 and later (Wine heap.c test_heap_size): HeapCreate(options, initial, 0) reserves the
 * initial size plus 64 KiB; the first segment it adds reserves 1 MiB, each later one twice the last,
 * up to 0xFD0000.
 */
export const GROWABLE_EXTRA = 0x10000;
export const FIRST_GROWTH = 0x100000;
export const MAX_GROWTH = 0xfd0000;
const GRANULE = 0x10000;
/** No request above the user range can ever be met (HeapAlloc(~0) fails: Wine). */
const MAX_REQUEST = 2 ** 47;

export const PROCESS_HEAP_ENTRY = {
  PROCESS_HEAP_REGION: 0x1,
  PROCESS_HEAP_UNCOMMITTED_RANGE: 0x2,
  PROCESS_HEAP_ENTRY_BUSY: 0x4,
} as const;

/** A failure carries the last error, or none (GetLastError unchanged), and may raise an exception instead. */
export type HeapResult<T> =
  { ok: true; value: T } | { ok: false; error: WinErrorName | null; exception?: WinExceptionName };

interface Block {
  /** Address of the header; the data starts BLOCK_OVERHEAD later. */
  start: number;
  /** Bytes including the header. */
  size: number;
  busy: boolean;
  /** The size asked for (HeapSize returns it exactly). */
  requested: number;
}

interface Segment {
  base: number;
  reserved: number;
  /** Bytes committed from the base. */
  committed: number;
  /** First block's address (after the heap or segment header). */
  first: number;
  /** Blocks in address order covering [first, base + committed). */
  blocks: Block[];
}

interface LargeBlock {
  base: number;
  requested: number;
  committed: number;
}

/** One PROCESS_HEAP_ENTRY as HeapWalk returns it. */
export interface HeapWalkEntry {
  lpData: number;
  cbData: number;
  cbOverhead: number;
  iRegionIndex: number;
  wFlags: number;
  region?: {
    dwCommittedSize: number;
    dwUnCommittedSize: number;
    lpFirstBlock: number;
    lpLastBlock: number;
  };
}

export interface HeapStats {
  busyBlocks: number;
  freeBlocks: number;
  busyBytes: number;
  freeBytes: number;
  /** Free blocks with busy blocks after them in the same segment: the holes fragmentation leaves. */
  holes: number;
}

const alignUp = (n: number, to: number): number => Math.ceil(n / to) * to;
const blockSizeFor = (size: number): number =>
  BLOCK_OVERHEAD + alignUp(Math.max(size, 1), BLOCK_ALIGN);
const MIN_BLOCK = blockSizeFor(1);
const dataOf = (b: Block): number => b.start + BLOCK_OVERHEAD;

export class Heap {
  readonly segments: Segment[] = [];
  readonly large = new Map<number, LargeBlock>();
  /** The reservation of the last segment a growable heap added (0: none yet). */
  growth = 0;

  constructor(
    readonly id: number,
    readonly options: number,
    /** 0 for a growable heap. */
    readonly maximum: number,
    readonly protect: number,
    /** The largest block the heap serves from its segments. */
    readonly blockLimit: number,
  ) {}

  get handle(): number {
    return this.segments[0]!.base;
  }

  get fixed(): boolean {
    return this.maximum > 0;
  }

  stats(): HeapStats {
    const s: HeapStats = {
      busyBlocks: this.large.size,
      freeBlocks: 0,
      busyBytes: 0,
      freeBytes: 0,
      holes: 0,
    };
    for (const l of this.large.values()) s.busyBytes += l.requested;
    for (const seg of this.segments) {
      const lastBusy = seg.blocks.findLastIndex((b) => b.busy);
      seg.blocks.forEach((b, i) => {
        if (b.busy) {
          s.busyBlocks++;
          s.busyBytes += b.requested;
        } else {
          s.freeBlocks++;
          s.freeBytes += b.size - BLOCK_OVERHEAD;
          if (i < lastBusy) s.holes++;
        }
      });
    }
    return s;
  }

  /** What VMMap's details column says about a heap region. */
  describe(): string {
    const s = this.stats();
    const kind = this.fixed ? 'fixed' : 'growable';
    return `Heap ID: ${this.id} (${kind}); ${s.busyBlocks} busy, ${s.freeBlocks} free blocks, ${s.holes} holes, ${s.freeBytes} bytes free`;
  }
}

export class ProcessHeaps {
  private readonly heaps: Heap[] = [];
  private nextId = 0;
  readonly processHeap: Heap;

  /** `processHeapBase`: where the process heap's first segment goes (process start places it); else wherever there is room. */
  constructor(
    private readonly process: VirtualMemory,
    processHeapBase: bigint | null = null,
  ) {
    const created = this.create(0, 0, 0, PROCESS_HEAP_RESERVE, processHeapBase);
    if (!created.ok) throw new Error('the process heap could not be created');
    this.processHeap = this.find(created.value)!;
  }

  /** GetProcessHeaps: the process heap first, then the others in creation order. */
  handles(): number[] {
    return this.heaps.map((h) => h.handle);
  }

  all(): readonly Heap[] {
    return this.heaps;
  }

  find(handle: number): Heap | undefined {
    return this.heaps.find((h) => h.handle === handle);
  }

  // ---- HeapCreate / HeapDestroy ----

  /** `growableReserve` overrides a growable heap's first reservation (the process heap's comes from its image). */
  create(
    options: number,
    initialSize: number,
    maximumSize: number,
    growableReserve?: number,
    at: bigint | null = null,
  ): HeapResult<number> {
    const protect =
      options & F.HEAP_CREATE_ENABLE_EXECUTE ? P.PAGE_EXECUTE_READWRITE : P.PAGE_READWRITE;
    // A maximum below the initial size is raised to it (RtlCreateHeap); a nonzero maximum makes the heap fixed.
    const maximum = maximumSize > 0 ? Math.max(maximumSize, initialSize) : 0;
    const reserve =
      maximum > 0
        ? // HeapCreate "rounds dwMaximumSize up to a multiple of the system page size" (Microsoft docs).
          alignUp(maximum, PAGE_SIZE)
        : (growableReserve ?? alignUp(initialSize, PAGE_SIZE) + GROWABLE_EXTRA);
    const commit = Math.max(
      alignUp(initialSize, PAGE_SIZE),
      alignUp(HEAP_HEADER + MIN_BLOCK, PAGE_SIZE),
    );
    // A fixed heap serves no block larger than its initial size: the simulator's reading of Wine's
    // results (in a 2 × 256 KiB / 5 × 256 KiB heap, 2 × 256 KiB works, 3 × and 4 × fail with 8; in a
    // 256 KiB / 256 KiB heap, 256 KiB less its header works).
    const blockLimit =
      maximum > 0 ? Math.max(alignUp(initialSize, PAGE_SIZE), PAGE_SIZE) : LARGE_BLOCK_THRESHOLD;
    const heap = new Heap(this.nextId, options, maximum, protect, blockLimit);
    // Reservations start on 64 KiB boundaries, so heap handles are 64 KiB aligned (Wine: "wrong heap alignment").
    const segment = this.newSegment(heap, reserve, Math.min(commit, reserve), HEAP_HEADER, at);
    if (!segment.ok) return segment;
    this.nextId++;
    this.heaps.push(heap);
    return success(heap.handle);
  }

  destroy(handle: number): HeapResult<true> {
    const heap = this.find(handle);
    // Destroying the process heap is refused (the simulator answers ERROR_INVALID_HANDLE, as for any non-heap).
    if (!heap || heap === this.processHeap) return failure('ERROR_INVALID_HANDLE');
    for (const s of heap.segments) this.process.virtualFree(BigInt(s.base), 0n, M.MEM_RELEASE);
    for (const l of heap.large.values())
      this.process.virtualFree(BigInt(l.base), 0n, M.MEM_RELEASE);
    this.heaps.splice(this.heaps.indexOf(heap), 1);
    return success(true);
  }

  // ---- HeapAlloc / HeapFree ----

  alloc(handle: number, flags: number, size: number): HeapResult<number> {
    const heap = this.find(handle);
    if (!heap) return failure('ERROR_INVALID_HANDLE');
    const address = this.allocate(heap, size);
    if (address === null) return this.outOfMemory(heap, flags);
    if (flags & F.HEAP_ZERO_MEMORY) this.write(address, size);
    return success(address);
  }

  free(handle: number, _flags: number, address: number): HeapResult<true> {
    // HeapFree of NULL succeeds, whatever the heap: HeapFree(NULL, 0, NULL) too (Wine test_HeapCreate).
    if (address === 0) return success(true);
    const heap = this.find(handle);
    if (!heap) return failure('ERROR_INVALID_HANDLE');
    const large = heap.large.get(address);
    if (large) {
      this.process.virtualFree(BigInt(large.base), 0n, M.MEM_RELEASE);
      heap.large.delete(address);
      return success(true);
    }
    const found = this.findBlock(heap, address);
    if (!found) return failure('ERROR_INVALID_PARAMETER');
    found.block.busy = false;
    found.block.requested = 0;
    this.coalesce(found.segment, found.index);
    return success(true);
  }

  // ---- HeapReAlloc ----

  realloc(handle: number, flags: number, address: number, size: number): HeapResult<number> {
    const heap = this.find(handle);
    if (!heap) return failure('ERROR_INVALID_HANDLE');
    // HeapReAlloc of NULL fails and leaves the last error alone (Wine: GetLastError() == NO_ERROR on Windows).
    if (address === 0) return { ok: false, error: null };
    if (size >= MAX_REQUEST) return this.outOfMemory(heap, flags);
    const inPlaceOnly = (flags & F.HEAP_REALLOC_IN_PLACE_ONLY) !== 0;
    const large = heap.large.get(address);
    const found = large ? null : this.findBlock(heap, address);
    if (!large && !found) return failure('ERROR_INVALID_PARAMETER');
    const oldSize = large ? large.requested : found!.block.requested;
    const resized = large
      ? this.resizeLarge(large, size)
      : this.resizeSmall(heap, found!.segment, found!.index, size);
    if (resized) {
      if (flags & F.HEAP_ZERO_MEMORY && size > oldSize)
        this.write(address + oldSize, size - oldSize);
      return success(address);
    }
    // Growing in place failed: HEAP_REALLOC_IN_PLACE_ONLY fails with ERROR_NOT_ENOUGH_MEMORY (Wine).
    if (inPlaceOnly) return failure('ERROR_NOT_ENOUGH_MEMORY');
    const moved = this.allocate(heap, size);
    if (moved === null) return this.outOfMemory(heap, flags);
    // The contents move: the new block is written where the old one was read.
    this.process.access('read', BigInt(address), BigInt(Math.max(oldSize, 1)));
    this.write(moved, Math.max(oldSize, 1));
    if (flags & F.HEAP_ZERO_MEMORY && size > oldSize) this.write(moved + oldSize, size - oldSize);
    this.free(handle, 0, address);
    return success(moved);
  }

  // ---- HeapSize / HeapValidate / HeapWalk ----

  /** The exact size requested; (SIZE_T)-1 without a last error for a pointer that is not a busy block (docs). */
  size(handle: number, address: number): HeapResult<number> {
    const heap = this.find(handle);
    if (!heap) return failure('ERROR_INVALID_HANDLE');
    const large = heap.large.get(address);
    if (large) return success(large.requested);
    const found = this.findBlock(heap, address);
    return found ? success(found.block.requested) : { ok: false, error: null };
  }

  /** A NULL pointer validates the whole heap; a pointer must be a busy block (Wine: freed → FALSE, error unchanged). */
  validate(handle: number, address: number): HeapResult<true> {
    const heap = this.find(handle);
    if (!heap) return failure('ERROR_INVALID_HANDLE');
    if (address === 0 || heap.large.has(address) || this.findBlock(heap, address))
      return success(true);
    return { ok: false, error: null };
  }

  /** Every entry HeapWalk returns, in order: per segment its region, blocks and uncommitted range; then large blocks. */
  walk(handle: number): HeapResult<HeapWalkEntry[]> {
    const heap = this.find(handle);
    if (!heap) return failure('ERROR_INVALID_HANDLE');
    const E = PROCESS_HEAP_ENTRY;
    const out: HeapWalkEntry[] = [];
    heap.segments.forEach((s, index) => {
      const last = s.blocks.at(-1);
      out.push({
        lpData: s.base,
        cbData: s.first - s.base,
        cbOverhead: 0,
        iRegionIndex: index,
        wFlags: E.PROCESS_HEAP_REGION,
        region: {
          dwCommittedSize: s.committed,
          dwUnCommittedSize: s.reserved - s.committed,
          lpFirstBlock: s.first,
          lpLastBlock: last ? last.start + last.size : s.first,
        },
      });
      for (const b of s.blocks) {
        out.push({
          lpData: dataOf(b),
          cbData: b.busy ? b.requested : b.size - BLOCK_OVERHEAD,
          cbOverhead: BLOCK_OVERHEAD,
          iRegionIndex: index,
          wFlags: b.busy ? E.PROCESS_HEAP_ENTRY_BUSY : 0,
        });
      }
      if (s.reserved > s.committed) {
        out.push({
          lpData: s.base + s.committed,
          cbData: s.reserved - s.committed,
          cbOverhead: 0,
          iRegionIndex: index,
          wFlags: E.PROCESS_HEAP_UNCOMMITTED_RANGE,
        });
      }
    });
    // Large blocks are listed after the segments with region index 64 (Wine: iRegionIndex == 64).
    for (const [data, l] of heap.large) {
      out.push({
        lpData: data,
        cbData: l.requested,
        cbOverhead: LARGE_BLOCK_OVERHEAD,
        iRegionIndex: 64,
        wFlags: E.PROCESS_HEAP_ENTRY_BUSY,
      });
    }
    return success(out);
  }

  // ---- inside ----

  private outOfMemory<T>(heap: Heap, flags: number): HeapResult<T> {
    // With HEAP_GENERATE_EXCEPTIONS (on the call or the heap) a failure raises STATUS_NO_MEMORY instead (HeapAlloc docs).
    if ((flags | heap.options) & F.HEAP_GENERATE_EXCEPTIONS)
      return { ok: false, error: null, exception: 'STATUS_NO_MEMORY' };
    return failure('ERROR_NOT_ENOUGH_MEMORY');
  }

  private write(address: number, size: number): void {
    if (size > 0) this.process.access('write', BigInt(address), BigInt(size));
  }

  private newSegment(
    heap: Heap,
    reserve: number,
    commit: number,
    header: number,
    at: bigint | null = null,
  ): HeapResult<Segment> {
    const r = this.process.virtualAlloc(at, BigInt(reserve), M.MEM_RESERVE, heap.protect);
    if (!r.ok) return failure('ERROR_NOT_ENOUGH_MEMORY');
    const base = Number(r.value);
    if (!this.process.virtualAlloc(r.value, BigInt(commit), M.MEM_COMMIT, heap.protect).ok) {
      this.process.virtualFree(r.value, 0n, M.MEM_RELEASE);
      return failure('ERROR_NOT_ENOUGH_MEMORY');
    }
    const first = base + header;
    const segment: Segment = { base, reserved: reserve, committed: commit, first, blocks: [] };
    if (base + commit - first >= MIN_BLOCK)
      segment.blocks.push({ start: first, size: base + commit - first, busy: false, requested: 0 });
    heap.segments.push(segment);
    // The heap structure itself is written when the heap is made.
    this.write(base, header);
    return success(segment);
  }

  /** The data address of a new busy block, or null when the heap cannot hold it. */
  private allocate(heap: Heap, size: number): number | null {
    if (size >= MAX_REQUEST) return null;
    if (size > heap.blockLimit) return heap.fixed ? null : this.allocateLarge(heap, size);
    const need = blockSizeFor(size);
    for (const s of heap.segments) {
      const i = s.blocks.findIndex((b) => !b.busy && b.size >= need);
      if (i >= 0) return this.take(s, i, need, size);
    }
    for (const s of heap.segments) {
      const i = this.extend(heap, s, need);
      if (i !== null) return this.take(s, i, need, size);
    }
    if (heap.fixed) return null;
    // A growable heap adds a segment: 1 MiB first, then twice the last one added, at most 0xFD0000
    // (Wine test_heap_size), or as much as the block needs.
    heap.growth = heap.growth === 0 ? FIRST_GROWTH : Math.min(heap.growth * 2, MAX_GROWTH);
    const reserve = Math.max(heap.growth, alignUp(need + SEGMENT_HEADER, GRANULE));
    const seg = this.newSegment(
      heap,
      reserve,
      alignUp(need + SEGMENT_HEADER, PAGE_SIZE),
      SEGMENT_HEADER,
    );
    if (!seg.ok) return null;
    return this.take(seg.value, seg.value.blocks.length - 1, need, size);
  }

  private allocateLarge(heap: Heap, size: number): number | null {
    const bytes = alignUp(size + LARGE_BLOCK_OVERHEAD, PAGE_SIZE);
    const r = this.process.virtualAlloc(
      null,
      BigInt(bytes),
      M.MEM_RESERVE | M.MEM_COMMIT,
      heap.protect,
    );
    if (!r.ok) return null;
    const base = Number(r.value);
    this.write(base, LARGE_BLOCK_OVERHEAD);
    heap.large.set(base + LARGE_BLOCK_OVERHEAD, { base, requested: size, committed: bytes });
    return base + LARGE_BLOCK_OVERHEAD;
  }

  /** Commit more of a segment so its last free block can hold `need`; the index of that block, or null. */
  private extend(heap: Heap, s: Segment, need: number): number | null {
    const last = s.blocks.at(-1);
    const trailing = last && !last.busy ? last.size : 0;
    const grow = alignUp(need - trailing, PAGE_SIZE);
    if (s.committed + grow > s.reserved) return null;
    if (
      !this.process.virtualAlloc(
        BigInt(s.base + s.committed),
        BigInt(grow),
        M.MEM_COMMIT,
        heap.protect,
      ).ok
    )
      return null;
    s.committed += grow;
    if (last && !last.busy) last.size += grow;
    else
      s.blocks.push({ start: s.base + s.committed - grow, size: grow, busy: false, requested: 0 });
    return s.blocks.length - 1;
  }

  /** Make free block `i` busy with `need` bytes, splitting off the rest when it can stand as a block. */
  private take(s: Segment, i: number, need: number, requested: number): number {
    const b = s.blocks[i]!;
    if (b.size - need >= MIN_BLOCK) {
      s.blocks.splice(i + 1, 0, {
        start: b.start + need,
        size: b.size - need,
        busy: false,
        requested: 0,
      });
      b.size = need;
    }
    b.busy = true;
    b.requested = requested;
    this.write(b.start, BLOCK_OVERHEAD);
    return dataOf(b);
  }

  /** Merge free block `i` with free neighbours. */
  private coalesce(s: Segment, i: number): void {
    const next = s.blocks[i + 1];
    if (next && !next.busy) {
      s.blocks[i]!.size += next.size;
      s.blocks.splice(i + 1, 1);
    }
    const prev = s.blocks[i - 1];
    if (prev && !prev.busy) {
      prev.size += s.blocks[i]!.size;
      s.blocks.splice(i, 1);
    }
  }

  private resizeSmall(heap: Heap, s: Segment, i: number, size: number): boolean {
    if (size > heap.blockLimit) return false;
    const b = s.blocks[i]!;
    const need = blockSizeFor(size);
    if (need > b.size) {
      const next = s.blocks[i + 1];
      if (!next || next.busy || b.size + next.size < need) return false;
      b.size += next.size;
      s.blocks.splice(i + 1, 1);
    }
    // Shrinking (or the surplus of growing into the neighbour) gives back a free block when one fits.
    if (b.size - need >= MIN_BLOCK) {
      s.blocks.splice(i + 1, 0, {
        start: b.start + need,
        size: b.size - need,
        busy: false,
        requested: 0,
      });
      b.size = need;
      this.coalesce(s, i + 1);
    }
    b.requested = size;
    return true;
  }

  /**
   * A large block grows in place only within its committed pages; shrinking decommits the pages it
   * no longer needs, so growing back afterwards moves it (Wine: "shrinking a very large block
   * decommits pages and fail to grow in place").
   */
  private resizeLarge(l: LargeBlock, size: number): boolean {
    const needed = alignUp(size + LARGE_BLOCK_OVERHEAD, PAGE_SIZE);
    if (needed > l.committed) return false;
    if (needed < l.committed) {
      this.process.virtualFree(
        BigInt(l.base + needed),
        BigInt(l.committed - needed),
        M.MEM_DECOMMIT,
      );
      l.committed = needed;
    }
    l.requested = size;
    return true;
  }

  private findBlock(
    heap: Heap,
    address: number,
  ): { segment: Segment; index: number; block: Block } | null {
    for (const segment of heap.segments) {
      if (address < segment.first || address >= segment.base + segment.committed) continue;
      let lo = 0;
      let hi = segment.blocks.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const block = segment.blocks[mid]!;
        const data = dataOf(block);
        if (data === address) return block.busy ? { segment, index: mid, block } : null;
        if (data < address) lo = mid + 1;
        else hi = mid - 1;
      }
      return null;
    }
    return null;
  }
}
