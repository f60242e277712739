import { describe, expect, it } from 'vitest';
import { parseSandboxScript, type SandboxScript } from '../../shared/sandboxScript';
import { runSimulated } from './simulatedEngine';

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
});
