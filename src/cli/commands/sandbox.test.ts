import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { VmscopeError } from '../../shared/errors';
import { formatBytes } from '../../shared/format';
import { createClient } from '../../shared/bridge';
import type { SandboxRunOutput } from '../../shared/sandboxSession';
import { createLocalServiceHost } from '../../core/serviceHost';
import type { CliContext } from '../context';
import { registerSandbox } from './sandbox';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-sandbox-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function run(args: string[]): Promise<string[]> {
  const out: string[] = [];
  const ctx = {
    client: createClient(createLocalServiceHost()),
    selfFile: '',
    webRoot: '',
    out: (t: string) => out.push(t),
  } as unknown as CliContext;
  // As src/cli/main.ts builds it: exit overridden, so usage errors throw instead of exiting.
  const program = new Command('vmscope').exitOverride().configureOutput({ writeErr: () => {} });
  registerSandbox(program, ctx);
  await program.parseAsync(['node', 'vmscope', 'sandbox', 'run', ...args]);
  return out;
}

async function failure(args: string[]): Promise<unknown> {
  return run(args).then(
    () => null,
    (err: unknown) => err,
  );
}

describe('vmscope sandbox run', () => {
  it('prints the steps and the final regions as JSON', async () => {
    const path = file(
      'ok.json',
      JSON.stringify({
        steps: [
          {
            op: 'VirtualAlloc',
            size: 4096,
            type: 'MEM_COMMIT',
            protect: 'PAGE_READWRITE',
            as: 'p',
          },
          { op: 'Read', address: 'p+0x1000' },
        ],
      }),
    );
    const [text] = await run([path, '--engine', 'simulated']);
    const result = JSON.parse(text!) as SandboxRunOutput;
    expect([result.version, result.engine]).toEqual([3, 'simulated']);
    expect(result.steps.map((s) => s.ok)).toEqual([true, false]);
    expect(result.steps[0]).toMatchObject({ calls: [], restarted: false });
    expect(result.allocations[0]).toMatchObject({ base: '0x10000', size: 4096 });
    expect(result.steps[1]!.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      address: '0x11000',
      access: 'read',
    });
    expect(result.regions[0]).toMatchObject({ base: '0x10000', state: 'committed' });
  });

  it('an unreadable file, bad JSON or a bad script is invalid input (exit 2) with a one-line reason naming the field', async () => {
    const missing = await failure([join(dir, 'missing.json')]);
    expect(missing).toBeInstanceOf(VmscopeError);
    expect(missing).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/cannot read .*missing\.json: ENOENT/),
    });
    expect(await failure([file('bad.json', '{"steps": [')])).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/bad\.json is not valid JSON/),
    });
    const bad = await failure([
      file('script.json', JSON.stringify({ steps: [{ op: 'Write', address: 1, size: 'big' }] })),
    ]);
    expect(bad).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/script\.json: steps\.0\.size: /),
    });
    expect((bad as Error).message).not.toContain('\n');
  });

  it.runIf(process.platform === 'linux')(
    'runs on the script\'s own "engine" unless --engine overrides it',
    async () => {
      const path = file(
        'engine.json',
        JSON.stringify({
          engine: 'live',
          steps: [
            {
              op: 'VirtualAlloc',
              size: 4096,
              type: 'MEM_COMMIT',
              protect: 'PAGE_READWRITE',
              as: 'p',
            },
            { op: 'Write', address: 'p', size: 4 },
          ],
        }),
      );
      const live = JSON.parse((await run([path]))[0]!) as SandboxRunOutput;
      // One shape on both engines: the same keys, in the same order.
      expect(Object.keys(live)).toEqual([
        'version',
        'engine',
        'steps',
        'regions',
        'allocations',
        'counters',
      ]);
      expect([live.version, live.engine]).toEqual([3, 'live']);
      expect(live.steps.map((s) => s.ok)).toEqual([true, true]);
      expect(live.steps[0]!.calls[0]).toMatch(/^mmap\(NULL, 65536, /); // a page and a granule's slack: reservations start on 64 KiB;
      expect(live.allocations).toHaveLength(1);
      const simulated = JSON.parse(
        (await run([path, '--engine', 'simulated']))[0]!,
      ) as SandboxRunOutput;
      expect(Object.keys(simulated)).toEqual(Object.keys(live));
      expect(simulated.steps[0]).toMatchObject({ ok: true, returned: '0x10000', calls: [] });
      expect(simulated.regions[0]).toMatchObject({ base: '0x10000', state: 'committed' });
    },
  );

  it('refuses an engine it does not have', async () => {
    const err = await failure([file('x.json', '{"steps":[]}'), '--engine', 'hardware']);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).exitCode).not.toBe(0);
    expect((err as CommanderError).message).toMatch(/Allowed choices are simulated, live/);
  });

  it('--format text prints each step as its Win32 call and what it returned', async () => {
    const path = file(
      'text.json',
      JSON.stringify({
        steps: [
          {
            op: 'VirtualAlloc',
            size: '0x100000',
            type: 'MEM_RESERVE',
            protect: 'PAGE_NOACCESS',
            as: 'a',
          },
          {
            op: 'VirtualAlloc',
            address: 'a',
            size: 4096,
            type: 'MEM_COMMIT',
            protect: 'PAGE_READWRITE',
          },
          { op: 'VirtualProtect', address: 'a', size: 4096, protect: 'PAGE_READONLY' },
          { op: 'Write', address: 'a', size: 4 },
          { op: 'VirtualFree', address: 'a+0x1000', type: 'MEM_RELEASE' },
        ],
      }),
    );
    const [text] = await run([path, '--format', 'text']);
    const lines = text!.split('\n');
    expect(lines[0]).toMatch(
      /^1\. LPVOID a = VirtualAlloc\(NULL, 0x100000, MEM_RESERVE, PAGE_NOACCESS\) → 0x[0-9a-f]+$/,
    );
    expect(lines[2]).toBe(
      '3. VirtualProtect(a, 4096, PAGE_READONLY, &old) → TRUE; old = PAGE_READWRITE',
    );
    expect(lines[3]).toMatch(
      /^4\. memset\(a, 0xCC, 4\) → EXCEPTION_ACCESS_VIOLATION \(0xc0000005\), write at 0x[0-9a-f]+$/,
    );
    expect(lines[4]).toBe(
      '5. VirtualFree(a + 0x1000, 0, MEM_RELEASE) → FALSE; GetLastError() = ERROR_INVALID_ADDRESS (487)',
    );
    // The last line is the JSON run's counters, in words (process start counts too).
    const [json] = await run([path]);
    const { counters, allocations } = JSON.parse(json!) as SandboxRunOutput;
    expect(lines.at(-1)).toBe(
      `simulated engine: working set ${formatBytes(counters.workingSetSize)}, private ${formatBytes(counters.privateUsage)}, ` +
        `${allocations.length} allocation(s), ${counters.pageFaultCount} page fault(s)`,
    );
  });
});
