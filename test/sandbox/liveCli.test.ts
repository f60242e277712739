/** `vmscope sandbox run --engine live` through the built CLI: its child is the bundle's hidden `sandbox child` command. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

describe.runIf(process.platform === 'linux')('vmscope sandbox run --engine live', () => {
  it('prints each step with the real calls it made, a crash included', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vmscope-live-')), 'script.json');
    writeFileSync(
      file,
      JSON.stringify({
        steps: [
          {
            op: 'VirtualAlloc',
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
          { op: 'Read', address: 'base+0x2000' },
          { op: 'VirtualFree', address: 'base', type: 'MEM_RELEASE' },
        ],
      }),
    );
    const run = await runCli(['sandbox', 'run', file, '--engine', 'live']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as {
      steps: {
        ok: boolean;
        calls: string[];
        exception: { name: string; address: string } | null;
      }[];
      allocations: unknown[];
    };
    expect(out.steps.map((s) => s.ok)).toEqual([true, true, true, false, true]);
    expect(out.steps[0]!.calls[0]).toMatch(
      /^mmap\(NULL, \d+, PROT_NONE, MAP_PRIVATE\|MAP_ANONYMOUS\|MAP_NORESERVE, -1, 0\) = 0x/,
    );
    expect(out.steps[2]!.calls[0]).toMatch(/^memset\(0x[0-9a-f]+, 0xab, 4\) = 0x/);
    expect(out.steps[3]!.exception?.name).toBe('EXCEPTION_ACCESS_VIOLATION');
    expect(out.steps[4]!.calls[0]).toMatch(/^munmap\(0x[0-9a-f]+, 20480\) = 0$/);
    expect(out.allocations).toEqual([]);
  });
});
