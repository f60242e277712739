/**
 * The live Linux engine never loses its child to a bad argument (issue 16): random scripts of
 * every op the engine takes, with addresses, sizes and flags from the edges (NULL, 0xF000, the
 * user range's ends, past it, 2^64 - 1, names bound by a setup or by failed steps), run on one
 * real child. Only a
 * real access (Read, Write, Execute) may end the child, and then the step reports an exception;
 * after each script the child still answers. Bounded: a fixed number of runs, a fixed seed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveChild } from '../../src/core/sandbox/live/liveChild';
import { DEFAULT_CAPS } from '../../src/core/sandbox/live/protocol';
import { parseSandboxScript } from '../../src/shared/sandboxScript';

const ACCESSES = new Set(['Read', 'Write', 'Execute']);

const address = fc.oneof(
  fc.constantFrom(
    null,
    0,
    1,
    0xf000,
    0x10000,
    'a',
    'a+0x1000',
    'a+0xfff',
    'a-0x1000',
    'h',
    'm',
    'v',
    'v+0x10000',
    '0x7ffffffeffff',
    '0x7fffffff0000',
    '0x800000000000',
    '0xffffffffffffffff',
  ),
  fc.integer({ min: 0, max: 2 ** 47 }),
);
const size = fc.constantFrom(
  0,
  1,
  0xfff,
  0x1000,
  0x1001,
  0x10000,
  0x7fffffff,
  '0x100000000',
  '0x8000000000000000',
  '0xffffffffffffffff',
);
const flags = fc.oneof(
  fc.constantFrom(
    'MEM_RESERVE',
    'MEM_COMMIT',
    'MEM_RESERVE|MEM_COMMIT',
    'MEM_RELEASE',
    'MEM_DECOMMIT',
    'MEM_RESET',
    'MEM_RESET_UNDO',
    'MEM_WRITE_WATCH|MEM_RESERVE|MEM_COMMIT',
    'MEM_TOP_DOWN|MEM_RESERVE',
    'MEM_LARGE_PAGES|MEM_RESERVE|MEM_COMMIT',
    'PAGE_READWRITE',
    'PAGE_NOACCESS',
    'PAGE_READONLY|PAGE_GUARD',
    'PAGE_EXECUTE_READWRITE',
    'PAGE_WRITECOPY',
    'PAGE_READWRITE|PAGE_NOCACHE|PAGE_WRITECOMBINE',
    'HEAP_ZERO_MEMORY',
    'HEAP_REALLOC_IN_PLACE_ONLY',
    'FILE_MAP_WRITE',
  ),
  fc.integer({ min: 0, max: 0xffffffff }),
);
const as = fc.constantFrom(undefined, 'a', 'h', 'm', 'v');
const withAs = (step: Record<string, unknown>, name: string | undefined) =>
  name ? { ...step, as: name } : step;

const step = fc.oneof(
  fc
    .tuple(address, size, flags, flags, as)
    .map(([a, s, type, protect, n]) =>
      withAs({ op: 'VirtualAlloc', address: a, size: s, type, protect }, n),
    ),
  fc
    .tuple(address, size, flags)
    .map(([a, s, type]) => ({ op: 'VirtualFree', address: a, size: s, type })),
  fc
    .tuple(address, size, flags)
    .map(([a, s, protect]) => ({ op: 'VirtualProtect', address: a, size: s, protect })),
  address.map((a) => ({ op: 'VirtualQuery', address: a })),
  address.map((a) => ({ op: 'QueryWorkingSetEx', address: a })),
  fc
    .tuple(fc.constantFrom('VirtualLock', 'VirtualUnlock', 'ResetWriteWatch'), address, size)
    .map(([op, a, s]) => ({ op, address: a, size: s })),
  fc
    .tuple(fc.constantFrom('Read', 'Write'), address, fc.constantFrom(1, 4, 0x1000, 0x2001))
    .map(([op, a, s]) => ({ op, address: a, size: s })),
  address.map((a) => ({ op: 'Execute', address: a })),
  fc
    .tuple(fc.constantFrom(0, 1, 2, 0xffffffff), address, size, fc.constantFrom(1, 64, 4096))
    .map(([f, a, s, count]) => ({ op: 'GetWriteWatch', flags: f, address: a, size: s, count })),
  fc
    .tuple(
      fc.constantFrom(-1, 0, 1, 0x1000, 20 * 0x1000, 2 ** 40),
      fc.constantFrom(-1, 0, 0x100000),
    )
    .map(([minimum, maximum]) => ({ op: 'SetProcessWorkingSetSize', minimum, maximum })),
  fc.constantFrom(
    { op: 'EmptyWorkingSet' },
    { op: 'GetProcessMemoryInfo' },
    { op: 'GetSystemInfo' },
  ),
  fc
    .tuple(flags, size, size, as)
    .map(([options, initialSize, maximumSize, n]) =>
      withAs({ op: 'HeapCreate', options, initialSize, maximumSize }, n),
    ),
  fc
    .tuple(fc.constantFrom('h', null, 'a'), flags, size, as)
    .map(([heap, f, s, n]) => withAs({ op: 'HeapAlloc', heap, flags: f, size: s }, n)),
  fc
    .tuple(fc.constantFrom('h', null), address)
    .map(([heap, a]) => ({ op: 'HeapFree', heap, flags: 0, address: a })),
  fc
    .tuple(flags, size, as)
    .map(([protect, s, n]) => withAs({ op: 'CreateFileMapping', file: null, protect, size: s }, n)),
  fc
    .tuple(fc.constantFrom('m', 'h', 'v', 'a'), flags, as)
    .map(([handle, access, n]) => withAs({ op: 'MapViewOfFile', handle, access }, n)),
);

/** Every script starts by binding the names the random steps use: memory, a heap, a section and its view. */
const SETUP = [
  {
    op: 'VirtualAlloc',
    size: 0x20000,
    type: 'MEM_RESERVE|MEM_COMMIT',
    protect: 'PAGE_READWRITE',
    as: 'a',
  },
  { op: 'HeapCreate', options: 0, initialSize: 0, maximumSize: 0, as: 'h' },
  { op: 'CreateFileMapping', file: null, protect: 'PAGE_READWRITE', size: 0x10000, as: 'm' },
  { op: 'MapViewOfFile', handle: 'm', access: 'FILE_MAP_WRITE', as: 'v' },
];

const engine = new LiveChild(DEFAULT_CAPS);
afterAll(() => engine.dispose());

describe.runIf(process.platform === 'linux')('the live Linux engine under random steps', () => {
  it('loses its child only to a real access, and keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (raw) => {
        const parsed = parseSandboxScript({ steps: [...SETUP, ...raw] });
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        await engine.rewind(0);
        for (const s of parsed.script.steps) {
          const run = await engine.run(s);
          if (run.restarted) {
            expect(ACCESSES.has(s.op), `${s.op} ended the child: ${run.calls.join(' | ')}`).toBe(
              true,
            );
            expect(run.result.exception).not.toBeNull();
          } else {
            expect(typeof run.result.ok).toBe('boolean');
            if (!run.result.ok && !run.result.exception && run.result.lastError)
              expect(run.result.lastError.code).toBeGreaterThan(0);
          }
        }
        const alive = await engine.run(parseQuery());
        expect(alive.restarted).toBe(false);
        expect(alive.result.ok).toBe(true);
      }),
      { numRuns: 25, seed: 16, endOnFailure: true },
    );
  }, 300_000);
});

/** VirtualQuery of the user range's first address: any live child answers it. */
function parseQuery() {
  const parsed = parseSandboxScript({ steps: [{ op: 'VirtualQuery', address: 0x10000 }] });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.script.steps[0]!;
}
