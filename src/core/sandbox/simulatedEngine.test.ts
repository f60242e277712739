import { describe, expect, it } from 'vitest';
import { parseSandboxScript, type SandboxScript } from '../../shared/sandboxScript';
import { formatStep } from '../../shared/win32Call';
import { SimulatedEngine, runSimulated } from './simulatedEngine';

function script(json: unknown): SandboxScript {
  const r = parseSandboxScript(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.script;
}

const issueExample = {
  engine: 'simulated',
  steps: [
    {
      op: 'VirtualAlloc',
      address: null,
      size: 20480,
      type: 'MEM_RESERVE',
      protect: 'PAGE_NOACCESS',
      as: 'base',
    },
    {
      op: 'VirtualAlloc',
      address: 'base+0x1000',
      size: 4096,
      type: 'MEM_COMMIT',
      protect: 'PAGE_READWRITE',
    },
    { op: 'Write', address: 'base+0x1000', size: 4 },
    { op: 'VirtualQuery', address: 'base+0x1000' },
    { op: 'VirtualFree', address: 'base', size: 0, type: 'MEM_RELEASE' },
  ],
};

describe('runSimulated', () => {
  it('prints the issue example as the public JSON shape', () => {
    const out = runSimulated(script(issueExample));
    expect(out.steps).toEqual([
      {
        op: 'VirtualAlloc',
        ok: true,
        returned: '0x10000',
        lastError: null,
        exception: null,
        info: null,
      },
      {
        op: 'VirtualAlloc',
        ok: true,
        returned: '0x11000',
        lastError: null,
        exception: null,
        info: null,
      },
      {
        op: 'Write',
        ok: true,
        returned: null,
        lastError: null,
        exception: null,
        info: { faults: { demandZero: 1, soft: 1, hard: 0 } },
      },
      {
        op: 'VirtualQuery',
        ok: true,
        returned: 48,
        lastError: null,
        exception: null,
        info: {
          BaseAddress: '0x11000',
          AllocationBase: '0x10000',
          AllocationProtect: 'PAGE_NOACCESS',
          RegionSize: 4096,
          State: 'MEM_COMMIT',
          Protect: 'PAGE_READWRITE',
          Type: 'MEM_PRIVATE',
        },
      },
      { op: 'VirtualFree', ok: true, returned: true, lastError: null, exception: null, info: null },
    ]);
    // Released: the range is free again, up to KUSER_SHARED_DATA, the lowest thing process start made.
    expect(out.regions.slice(0, 2)).toEqual([
      expect.objectContaining({ base: '0x10000', size: 0x7ffe0000 - 0x10000, kind: 'free' }),
      expect.objectContaining({ base: '0x7ffe0000', size: 4096, details: 'KUSER_SHARED_DATA' }),
    ]);
  });

  it('keeps going after failures: lastError for API errors, exception for faults, NULL for a failed binding', () => {
    const out = runSimulated(
      script({
        steps: [
          { op: 'VirtualAlloc', size: 0, type: 'MEM_COMMIT', protect: 'PAGE_READWRITE', as: 'p' },
          { op: 'Write', address: 'p+0x10', size: 4 },
          {
            op: 'VirtualAlloc',
            size: 4096,
            type: 'MEM_COMMIT',
            protect: 'PAGE_READONLY',
            as: 'ro',
          },
          {
            op: 'VirtualProtect',
            address: 'ro',
            size: 4096,
            protect: 'PAGE_READWRITE',
            oldProtect: null,
          },
          { op: 'Execute', address: 'ro' },
          { op: 'VirtualFree', address: 'ro', size: 4096, type: 'MEM_RELEASE' },
        ],
      }),
    );
    expect(out.steps.map((s) => [s.ok, s.returned, s.lastError, s.exception])).toEqual([
      [false, null, { code: 87, name: 'ERROR_INVALID_PARAMETER' }, null],
      [
        false,
        null,
        null,
        {
          code: '0xc0000005',
          name: 'EXCEPTION_ACCESS_VIOLATION',
          address: '0x10',
          access: 'write',
        },
      ],
      [true, '0x10000', null, null],
      [false, false, { code: 998, name: 'ERROR_NOACCESS' }, null],
      [
        false,
        null,
        null,
        {
          code: '0xc0000005',
          name: 'EXCEPTION_ACCESS_VIOLATION',
          address: '0x10000',
          access: 'execute',
        },
      ],
      [false, false, { code: 87, name: 'ERROR_INVALID_PARAMETER' }, null],
    ]);
    // The 4 KiB allocation remains, followed by the unusable tail of its 64 KiB granule.
    expect(out.regions.slice(0, 2)).toEqual([
      expect.objectContaining({
        base: '0x10000',
        size: 4096,
        state: 'committed',
        kind: 'privateData',
        protect: 'PAGE_READONLY',
        type: 'private',
      }),
      expect.objectContaining({ base: '0x11000', size: 0xf000, state: 'free', kind: 'unusable' }),
    ]);
  });

  it('reports counters and system info, and applies the machine settings', () => {
    const out = runSimulated(
      script({
        machine: {
          physicalMemory: 8 << 20,
          pagefileSize: 8 << 20,
          workingSetMinimum: 81920,
          workingSetMaximum: 131072,
        },
        steps: [
          { op: 'GetProcessMemoryInfo' },
          {
            op: 'VirtualAlloc',
            size: 262144,
            type: 'MEM_COMMIT',
            protect: 'PAGE_READWRITE',
            as: 'a',
          },
          { op: 'Write', address: 'a', size: 262144 },
          { op: 'GetProcessMemoryInfo' },
          { op: 'GetSystemInfo' },
        ],
      }),
    );
    // What process start left (images, stack, heap, PEB, TEB), then the script's own 256 KiB.
    const started = out.steps[0]!.info as Record<string, number>;
    const after = out.steps[3]!.info as Record<string, number>;
    expect(started['virtualSize']).toBeGreaterThan(0);
    expect(after).toMatchObject({
      workingSetSize: 131072,
      peakWorkingSetSize: 131072,
      // 64 pages written through a 32-page working set.
      privateUsage: started['privateUsage']! + 262144,
      pagefileUsage: started['pagefileUsage']! + 262144,
      pageFaultCount: started['pageFaultCount']! + 64,
      softFaultCount: started['softFaultCount']! + 64,
      hardFaultCount: 0,
      virtualSize: started['virtualSize']! + 262144,
    });
    expect(out.steps[4]!.info).toMatchObject({
      dwPageSize: 4096,
      dwAllocationGranularity: 65536,
      lpMinimumApplicationAddress: '0x10000',
      lpMaximumApplicationAddress: '0x7ffffffeffff',
      physicalMemory: 8 << 20,
      commitLimit: 16 << 20,
    });
    expect(out.regions[0]).toMatchObject({
      committed: 262144,
      workingSet: { total: 131072, private: 131072 },
    });
  });

  it('is deterministic: the same script gives the same output', () => {
    const steps = [];
    for (let i = 0; i < 50; i++) {
      steps.push({
        op: 'VirtualAlloc',
        size: 4096 * (i + 1),
        type: 'MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: `b${i}`,
      });
      steps.push({ op: 'Write', address: `b${i}+0x${(i * 512).toString(16)}`, size: 4096 });
      if (i % 3 === 0)
        steps.push({ op: 'VirtualFree', address: `b${i}`, size: 0, type: 'MEM_RELEASE' });
    }
    steps.push({ op: 'GetProcessMemoryInfo' });
    const s = script({
      machine: { physicalMemory: 4 << 20, workingSetMaximum: 256 * 4096 },
      steps,
    });
    expect(JSON.stringify(runSimulated(s))).toBe(JSON.stringify(runSimulated(s)));
  });

  it('reports VirtualProtect as a BOOL with the old protection in its out-parameter, and a failed pointer as NULL', () => {
    const steps = [
      {
        op: 'VirtualAlloc',
        size: 4096,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'a',
      },
      { op: 'VirtualProtect', address: 'a', size: 4096, protect: 'PAGE_READONLY' },
      // Committing inside a range never reserved fails: VirtualAlloc returns NULL.
      { op: 'VirtualAlloc', address: '0x7f0000000', size: 4096, type: 'MEM_COMMIT', protect: 4 },
    ];
    const out = runSimulated(script({ steps }));
    expect(out.steps[1]).toMatchObject({
      ok: true,
      returned: true,
      info: { oldProtect: 'PAGE_READWRITE' },
    });
    expect(formatStep(steps[1]!, out.steps[1]!)).toBe(
      'VirtualProtect(a, 4096, PAGE_READONLY, &old) → TRUE; old = PAGE_READWRITE',
    );
    expect(out.steps[2]).toMatchObject({ ok: false, returned: null });
    expect(formatStep(steps[2]!, out.steps[2]!)).toBe(
      'VirtualAlloc(0x7f0000000, 4096, MEM_COMMIT, PAGE_READWRITE) → NULL; GetLastError() = ERROR_INVALID_ADDRESS (487)',
    );
  });

  it('sends a 1 TiB reservation as a few runs covering every page, and its first pages as cells', async () => {
    const engine = new SimulatedEngine(undefined);
    const steps = script({
      steps: [
        {
          op: 'VirtualAlloc',
          size: '0x10000000000',
          type: 'MEM_RESERVE',
          protect: 'PAGE_READWRITE',
          as: 't',
        },
        { op: 'VirtualAlloc', address: 't', size: 8192, type: 'MEM_COMMIT', protect: 4 },
        { op: 'Write', address: 't', size: 4096 },
      ],
    }).steps;
    for (const step of steps) await engine.step(step);
    // Process start made allocations too; the reservation is the one of 1 TiB.
    const allocation = (await engine.view()).allocations.find((a) => a.size === 2 ** 40);
    expect(allocation).toBeDefined();
    expect(
      allocation!.runs!.map((r) => [r.start, r.count, r.page.state, r.page.inWorkingSet]),
    ).toEqual([
      [0, 1, 'committed', true],
      [1, 1, 'committed', false],
      [2, 2 ** 28 - 2, 'reserved', false],
    ]);
    expect(allocation!.pages).toHaveLength(4096);
    engine.dispose();
  });
});
