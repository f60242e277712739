import { describe, expect, it } from 'vitest';
import { parseSandboxScript, type SandboxRunResult } from '../../shared/sandboxScript';
import { runSimulated } from './simulatedEngine';

function run(json: unknown): SandboxRunResult {
  const parsed = parseSandboxScript(json);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return runSimulated(parsed.script);
}

describe('sandbox script: heap ops', () => {
  it('HeapCreate/HeapAlloc/HeapSize/HeapReAlloc/HeapFree/HeapWalk/HeapDestroy with names and flag names', () => {
    const { steps, regions } = run({
      steps: [
        { op: 'GetProcessHeaps' },
        { op: 'HeapCreate', options: 0, initialSize: 0, maximumSize: 0, as: 'h' },
        { op: 'HeapAlloc', heap: 'h', flags: 'HEAP_ZERO_MEMORY', size: 100, as: 'p' },
        { op: 'HeapSize', heap: 'h', address: 'p' },
        {
          op: 'HeapReAlloc',
          heap: 'h',
          flags: 'HEAP_REALLOC_IN_PLACE_ONLY',
          address: 'p',
          size: 50,
        },
        { op: 'HeapFree', heap: 'h', address: 'p' },
        { op: 'HeapValidate', heap: 'h', address: 'p' },
        { op: 'HeapFree', heap: 'h', address: 0 },
        { op: 'HeapWalk', heap: 'h' },
        { op: 'GetProcessHeaps' },
        { op: 'HeapDestroy', heap: 'h' },
      ],
    });
    expect(steps[0]!.returned).toBe(1);
    expect(steps[1]!.returned).toMatch(/^0x[0-9a-f]*0000$/);
    expect(steps[3]!.returned).toBe(100);
    expect(steps[4]!.returned).toBe(steps[2]!.returned);
    expect(steps[5]!.ok).toBe(true);
    expect(steps[6]).toMatchObject({ ok: false, returned: false, lastError: null });
    expect(steps[7]!.ok).toBe(true);
    expect(steps[8]!.info).toMatchObject({ end: { code: 259, name: 'ERROR_NO_MORE_ITEMS' } });
    expect(steps[9]!.returned).toBe(2);
    expect(steps[10]!.ok).toBe(true);
    expect(regions.some((r) => r.kind === 'heap')).toBe(true);
  });

  it('a fixed heap runs out with ERROR_NOT_ENOUGH_MEMORY, or raises STATUS_NO_MEMORY with HEAP_GENERATE_EXCEPTIONS', () => {
    const { steps } = run({
      steps: [
        { op: 'HeapCreate', initialSize: 65536, maximumSize: 65536, as: 'h' },
        { op: 'HeapAlloc', heap: 'h', size: 100000 },
        { op: 'HeapAlloc', heap: 'h', flags: 'HEAP_GENERATE_EXCEPTIONS', size: 100000 },
        { op: 'HeapAlloc', heap: '0x12340000', size: 1 },
      ],
    });
    expect(steps[1]).toMatchObject({
      ok: false,
      returned: null,
      lastError: { code: 8, name: 'ERROR_NOT_ENOUGH_MEMORY' },
    });
    expect(steps[2]).toMatchObject({
      ok: false,
      exception: { code: '0xc0000017', name: 'STATUS_NO_MEMORY' },
    });
    expect(steps[3]!.lastError).toEqual({ code: 6, name: 'ERROR_INVALID_HANDLE' });
  });

  it('rejects unknown heap flag names before running', () => {
    const parsed = parseSandboxScript({ steps: [{ op: 'HeapCreate', options: 'HEAP_NOPE' }] });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[0]).toMatch(
      /^steps\.0\.options: unknown flag "HEAP_NOPE" \(use a HEAP_\* name/,
    );
  });
});

describe('sandbox script: file mapping ops', () => {
  it('create twice (ERROR_ALREADY_EXISTS), open, map, copy-on-write, flush, unmap (487 on non-views), close', () => {
    const { steps, regions } = run({
      steps: [
        { op: 'CreateFileMapping', protect: 'PAGE_READWRITE', size: 65536, name: 'Demo', as: 'm1' },
        { op: 'CreateFileMapping', protect: 'PAGE_READWRITE', size: 65536, name: 'Demo', as: 'm2' },
        { op: 'OpenFileMapping', access: 'FILE_MAP_READ', name: 'Nope' },
        { op: 'MapViewOfFile', handle: 'm1', access: 'FILE_MAP_WRITE', as: 'v' },
        { op: 'MapViewOfFile', handle: 'm2', access: 'FILE_MAP_COPY', as: 'c' },
        { op: 'Write', address: 'v', size: 4 },
        { op: 'Write', address: 'c', size: 4 },
        { op: 'VirtualQuery', address: 'c' },
        { op: 'MapViewOfFile', handle: 'm1', access: 'FILE_MAP_READ', offset: 4096 },
        { op: 'FlushViewOfFile', address: 'v' },
        {
          op: 'VirtualAlloc',
          size: 4096,
          type: 'MEM_COMMIT',
          protect: 'PAGE_READWRITE',
          as: 'priv',
        },
        { op: 'UnmapViewOfFile', address: 'priv' },
        { op: 'UnmapViewOfFile', address: 'c+0x100' },
        { op: 'CloseHandle', handle: 'm2' },
        { op: 'CloseHandle', handle: 'm2' },
      ],
    });
    expect(steps[0]).toMatchObject({ ok: true, lastError: null });
    expect(steps[1]).toMatchObject({
      ok: true,
      lastError: { code: 183, name: 'ERROR_ALREADY_EXISTS' },
    });
    expect(steps[2]!.lastError).toEqual({ code: 2, name: 'ERROR_FILE_NOT_FOUND' });
    expect(steps[5]!.ok && steps[6]!.ok).toBe(true);
    expect(steps[7]!.info).toMatchObject({
      Protect: 'PAGE_READWRITE',
      Type: 'MEM_MAPPED',
      RegionSize: 4096,
    });
    expect(steps[8]!.lastError).toEqual({ code: 1132, name: 'ERROR_MAPPED_ALIGNMENT' });
    expect(steps[9]!.ok).toBe(true);
    expect(steps[11]!.lastError).toEqual({ code: 487, name: 'ERROR_INVALID_ADDRESS' });
    expect(steps[12]!.ok).toBe(true);
    expect(steps[13]!.ok).toBe(true);
    expect(steps[14]!.lastError).toEqual({ code: 6, name: 'ERROR_INVALID_HANDLE' });
    const view = regions.find((r) => r.base === steps[3]!.returned)!;
    expect(view).toMatchObject({ type: 'mapped', kind: 'shareable', details: 'Section "Demo"' });
  });

  it('"process": NAME acts inside a simulated process; the script shares a named section with it', () => {
    const { steps } = run({
      steps: [
        { op: 'GetProcessHeaps', process: 'leakysvc.exe' },
        { op: 'HeapAlloc', process: 'leakysvc.exe', heap: 0, size: 16 },
        { op: 'OpenFileMapping', access: 'FILE_MAP_READ', name: 'Local\\ContosoRing', as: 'ring' },
        { op: 'MapViewOfFile', handle: 'ring', access: 'FILE_MAP_READ', as: 'v' },
        { op: 'Read', address: 'v', size: 4096 },
      ],
    });
    expect(steps[0]!.returned).toBe(1);
    expect(steps[1]!.lastError).toEqual({ code: 6, name: 'ERROR_INVALID_HANDLE' });
    expect(steps[2]!.ok).toBe(true);
    // The producer wrote that page already: reading it is a soft fault, no demand-zero.
    expect(steps[4]!.info).toEqual({ faults: { demandZero: 0, soft: 1, hard: 0 } });
  });

  it('an unknown process name is a script error', () => {
    expect(() => run({ steps: [{ op: 'GetProcessHeaps', process: 'nope.exe' }] })).toThrow(
      /steps\.0\.process: no simulated process "nope.exe"/,
    );
  });
});
