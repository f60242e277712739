/**
 * The desktop app's live sandbox child: electron-vite builds src/main/sandboxChild.ts to
 * out/main/sandboxChild.js, and the service (SessionOptions.liveChild, set by src/main/index.ts)
 * forks it with Electron's binary as plain Node. There is no Electron binary here, so the built
 * entry runs under this Node, exactly as ELECTRON_RUN_AS_NODE runs it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ChildCommand, LiveChild } from '../../src/core/sandbox/live/liveChild';
import { DEFAULT_CAPS } from '../../src/core/sandbox/live/protocol';
import { SandboxSessions } from '../../src/core/sandbox/session';
import { parseSandboxScript } from '../../src/shared/sandboxScript';

const ENTRY = resolve('out/main/sandboxChild.js');
const CHILD: ChildCommand = { module: ENTRY, args: [], execArgv: [] };

function steps(raw: Record<string, unknown>[]) {
  const parsed = parseSandboxScript({ steps: raw });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.script.steps;
}

describe("the Electron build's live sandbox child", () => {
  it('is built by electron-vite as its own main-process entry, without Electron in it', () => {
    expect(
      existsSync(ENTRY),
      'out/main/sandboxChild.js is missing: run `npm run build` (npm test does it first)',
    ).toBe(true);
    const text = readFileSync(ENTRY, 'utf8');
    expect(text).not.toMatch(/from ["']electron["']/);
    expect(text).toContain('runLiveChild');
  });

  it.runIf(process.platform === 'linux')(
    'runs as a plain Node child: real calls, and a crash gives a fresh child that replays the steps',
    async () => {
      const engine = new LiveChild(DEFAULT_CAPS, CHILD);
      try {
        const script = steps([
          {
            op: 'VirtualAlloc',
            size: 12288,
            type: 'MEM_RESERVE',
            protect: 'PAGE_NOACCESS',
            as: 'a',
          },
          {
            op: 'VirtualAlloc',
            address: 'a',
            size: 8192,
            type: 'MEM_COMMIT',
            protect: 'PAGE_READWRITE',
          },
          { op: 'Write', address: 'a', size: 4 },
          { op: 'Read', address: 'a+0x2000', note: 'reserved: a real SIGSEGV' },
          { op: 'VirtualQuery', address: 'a' },
        ]);
        const runs = [];
        for (const step of script) runs.push(await engine.run(step));
        expect(runs.map((r) => [r.result.ok, r.restarted])).toEqual([
          [true, false],
          [true, false],
          [true, false],
          [false, true],
          [true, false],
        ]);
        expect(runs[0]!.calls[0]).toMatch(/^mmap\(NULL, 73728, PROT_NONE, /); // 12 KiB and a granule's slack: reservations start on 64 KiB;
        expect(runs[3]!.result.exception).toMatchObject({
          name: 'EXCEPTION_ACCESS_VIOLATION',
          access: 'read',
        });
        expect(runs[3]!.calls[0]).toMatch(/killed by SIGSEGV/);
        expect(runs[4]!.result.info).toMatchObject({
          State: 'MEM_COMMIT',
          Protect: 'PAGE_READWRITE',
          RegionSize: 8192,
        });
      } finally {
        engine.dispose();
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    'is what a session starts when the service is given it (as the desktop app gives it)',
    async () => {
      const sessions = new SandboxSessions({ liveChild: CHILD });
      try {
        const { session, pid } = await sessions.open({ engine: 'live' });
        const state = await sessions.step(session, {
          op: 'VirtualAlloc',
          size: 4096,
          type: 'MEM_RESERVE|MEM_COMMIT',
          protect: 'PAGE_READWRITE',
        });
        expect(pid).toBeGreaterThan(0);
        expect(state.pid).toBe(pid);
        expect(state.entry.calls[0]).toMatch(/^mmap\(/);
        expect(state.allocations).toHaveLength(1);
        expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain(ENTRY);
      } finally {
        sessions.closeAll();
      }
    },
  );
});
