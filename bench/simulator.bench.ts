/**
 * The simulated address space:
 * - a million mixed operations (reserve+commit 64 KiB, release, protect a page read-only or
 *   read-write, touch a page with a write or a read) on the simulator, against the same sequence
 *   as real Linux calls made through koffi in the same run (mmap, munmap, mprotect, memset or
 *   memchr on the page). Goal: the simulator is at least as fast (ratio sim/real ops/s ≥ 1).
 *   The two run interleaved, libc loaded and its functions bound before any timing.
 * - VirtualQuery walking a space of 100,000 regions from the bottom to the top of the user
 *   range. Goal: under 50 ms. No same-run reference: nothing else walks a Windows address space
 *   here (Linux's nearest, reading /proc/PID/maps, is the Linux bench's).
 */
import koffi from 'koffi';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../src/shared/winConstants';
import { USER_END, USER_MIN } from '../src/core/sim/layout';
import { createSimulation } from '../src/core/sim/simulation';
import {
  type Bench,
  type BenchFigure,
  fromStats,
  interleaved,
  referenceOf,
  timed,
} from './harness';
import { BENCH_NAMES } from './names';

const OPS = 1_000_000;
const SLOTS = 256;
const SIZE = 65536;
const PAGES = SIZE / 4096;
const REGIONS = 100_000;

const ALLOC = 0;
const FREE = 1;
const PROTECT = 2;
const TOUCH = 3;

/** The op sequence both sides run: [kind, slot, page] triples from a fixed-seed LCG. */
function opSequence(): Uint32Array {
  const ops = new Uint32Array(OPS * 3);
  const live = new Uint8Array(SLOTS);
  let seed = 0x2545f491;
  const next = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed >>> 8;
  };
  for (let i = 0; i < OPS; i++) {
    const slot = next() % SLOTS;
    const page = next() % PAGES;
    let kind = next() % 4;
    if (!live[slot]) kind = ALLOC;
    else if (kind === ALLOC) kind = TOUCH;
    live[slot] = kind === FREE ? 0 : 1;
    ops.set([kind, slot, page], i * 3);
  }
  return ops;
}

function runSimulator(ops: Uint32Array): void {
  const { process: p } = createSimulation({
    physicalMemory: 1 << 30,
    pagefileSize: 1 << 30,
    workingSetMaximum: 64 << 20,
  });
  const base: bigint[] = new Array<bigint>(SLOTS).fill(0n);
  const readOnly = new Uint8Array(SLOTS);
  for (let i = 0; i < ops.length; i += 3) {
    const slot = ops[i + 1]!;
    const at = base[slot]! + BigInt(ops[i + 2]! * 4096);
    switch (ops[i]) {
      case ALLOC: {
        const r = p.virtualAlloc(
          null,
          BigInt(SIZE),
          M.MEM_RESERVE | M.MEM_COMMIT,
          P.PAGE_READWRITE,
        );
        if (!r.ok) throw new Error(r.error);
        base[slot] = r.value;
        readOnly[slot] = 0;
        break;
      }
      case FREE:
        p.virtualFree(base[slot]!, 0n, M.MEM_RELEASE);
        break;
      case PROTECT:
        readOnly[slot] = readOnly[slot] ? 0 : 1;
        p.virtualProtect(
          base[slot]!,
          BigInt(SIZE),
          readOnly[slot] ? P.PAGE_READONLY : P.PAGE_READWRITE,
        );
        break;
      default:
        p.access(readOnly[slot] ? 'read' : 'write', at, 8n);
    }
  }
}

/** libc's calls, loaded and bound once, outside any timed region. */
function loadLibc() {
  const libc = koffi.load('libc.so.6');
  const mmap = libc.func(
    'uintptr_t mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, long off)',
  );
  const munmap = libc.func('int munmap(uintptr_t addr, size_t len)');
  const mprotect = libc.func('int mprotect(uintptr_t addr, size_t len, int prot)');
  const memset = libc.func('uintptr_t memset(uintptr_t s, int c, size_t n)');
  const memchr = libc.func('uintptr_t memchr(uintptr_t s, int c, size_t n)');
  return { mmap, munmap, mprotect, memset, memchr };
}

function runReal(
  { mmap, munmap, mprotect, memset, memchr }: ReturnType<typeof loadLibc>,
  ops: Uint32Array,
): void {
  const PROT_READ = 1;
  const PROT_RW = 3;
  const MAP_PRIVATE_ANONYMOUS = 0x22;
  const base = new Array<number>(SLOTS).fill(0);
  const readOnly = new Uint8Array(SLOTS);
  for (let i = 0; i < ops.length; i += 3) {
    const slot = ops[i + 1]!;
    const at = base[slot]! + ops[i + 2]! * 4096;
    switch (ops[i]) {
      case ALLOC:
        base[slot] = mmap(0, SIZE, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0) as number;
        readOnly[slot] = 0;
        break;
      case FREE:
        munmap(base[slot]!, SIZE);
        break;
      case PROTECT:
        readOnly[slot] = readOnly[slot] ? 0 : 1;
        mprotect(base[slot]!, SIZE, readOnly[slot] ? PROT_READ : PROT_RW);
        break;
      default:
        if (readOnly[slot]) memchr(at, 1, 8);
        else memset(at, 1, 8);
    }
  }
  for (let slot = 0; slot < SLOTS; slot++) if (base[slot]) munmap(base[slot]!, SIZE);
}

/** A space of REGIONS regions: one-page allocations, each followed by the free tail of its granule. */
function walkSpace(): () => number {
  const { process: p } = createSimulation({ physicalMemory: 1 << 30 });
  for (let i = 0; i < REGIONS / 2; i++) {
    const r = p.virtualAlloc(null, 4096n, M.MEM_RESERVE | M.MEM_COMMIT, P.PAGE_READWRITE);
    if (!r.ok) throw new Error(r.error);
  }
  return () => {
    let regions = 0;
    for (let at = USER_MIN; at < USER_END;) {
      const q = p.virtualQuery(at);
      if (!q.ok) throw new Error(q.error);
      at = q.value.baseAddress + q.value.regionSize;
      regions++;
    }
    return regions;
  };
}

export const simulatorBench: Bench = {
  name: BENCH_NAMES.simulator,
  skipReason: () =>
    process.platform === 'linux' ? null : 'the reference calls are Linux mmap/mprotect/munmap',
  async run(): Promise<BenchFigure[]> {
    const ops = opSequence();
    const libc = loadLibc();
    const { sim, real } = await interleaved(
      { sim: () => runSimulator(ops), real: () => runReal(libc, ops) },
      { runs: 5 },
    );
    const rate = (ms: number): number => OPS / (ms / 1000);
    // As rates: the fastest run is the highest rate, so min and max swap.
    const rates = (s: typeof sim) => ({
      median: rate(s.median),
      min: rate(s.max),
      max: rate(s.min),
      runs: s.runs,
    });
    const walk = walkSpace();
    const regions = walk();
    const walkStats = await timed(walk, 7);
    return [
      fromStats(
        `${OPS.toLocaleString('en-US')} mixed VirtualAlloc/VirtualFree/VirtualProtect/touch ops`,
        rates(sim),
        'ops/s',
        {
          reference: referenceOf('mmap/munmap/mprotect/memset via koffi', rates(real), 'ops/s'),
          ratio: rate(sim.median) / rate(real.median),
          goal: { of: 'ratio', op: '>=', limit: 1 },
        },
      ),
      fromStats(
        `VirtualQuery walk of ${regions.toLocaleString('en-US')} regions`,
        walkStats,
        'ms',
        {
          noReference:
            'nothing else walks a Windows address space here; the goal is a fixed budget',
          goal: { of: 'value', op: '<', limit: 50 },
        },
      ),
    ];
  },
};
