/**
 * Sandbox sessions through the contract (createService + dispatchCall), on the simulated engine
 * and on the live Linux engine, the latter checked against /proc/PID/smaps.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../src/shared/api';
import {
  type SandboxDelta,
  type SandboxState,
  applySandboxDelta,
} from '../../src/shared/sandboxSession';
import { dispatchCall } from '../../src/core/dispatch';
import { createService } from '../../src/core/service';

const MiB = 1024 * 1024;
const service = createService(undefined, undefined, {
  sandbox: {
    maxSessions: 3,
    liveCaps: { commitBytes: 8 * MiB, touchedBytes: 4 * MiB, reserveBytes: 64 * MiB },
  },
});
const opened: string[] = [];

/** The last whole state of each session, as a renderer holds it. */
const held = new Map<string, SandboxState>();

async function call<T = SandboxState>(method: MethodName, input: unknown): Promise<T> {
  const r = await dispatchCall(service, method, input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  const value = r.value as T;
  if (method !== 'sandbox.step' && value && typeof value === 'object' && 'history' in value)
    held.set((value as unknown as SandboxState).session, value as unknown as SandboxState);
  return value;
}

async function open(engine: 'simulated' | 'live'): Promise<SandboxState> {
  const state = await call('sandbox.open', { engine });
  opened.push(state.session);
  return state;
}

/**
 * One step: its delta, applied to the state held before it, must give the state the service
 * reports (allocations, history, counters); returns that whole state for the checks.
 */
async function step(session: string, s: Record<string, unknown>): Promise<SandboxState> {
  const delta = await call<SandboxDelta>('sandbox.step', { session, step: s });
  const applied = applySandboxDelta(held.get(session)!, delta);
  const full = await call('sandbox.state', { session });
  expect(applied.history).toEqual(full.history);
  if (full.engine === 'simulated') {
    expect(applied.allocations).toEqual(full.allocations);
    expect(applied.counters).toEqual(full.counters);
  } else {
    expect(applied.allocations.map((a) => a.base)).toEqual(full.allocations.map((a) => a.base));
  }
  return full;
}
const last = (state: SandboxState) => state.history[state.history.length - 1]!;

afterEach(async () => {
  for (const session of opened.splice(0)) await dispatchCall(service, 'sandbox.close', { session });
});

/** Rss (bytes) of the mapping that starts at `base` in /proc/PID/smaps, or null when there is none. */
function mappingRss(pid: number, base: string): number | null {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const start = BigInt(base);
  let inside = false;
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (header) inside = BigInt(`0x${header[1]}`) <= start && start < BigInt(`0x${header[2]}`);
    else if (inside && line.startsWith('Rss:')) return Number(/(\d+)/.exec(line)![1]) * 1024;
  }
  return null;
}

describe('sandbox sessions on the simulated engine', () => {
  it('runs steps one at a time, shows pages change, and undoes to the checkpoint before the last step', async () => {
    const start = await open('simulated');
    const { session, source } = start;
    expect(source).toBeNull();
    // A new session's process has what Windows gives one at start (images, stack, heap, PEB, TEB).
    expect(start.allocations.map((a) => a.type)).toContain('image');
    let s = await step(session, {
      op: 'VirtualAlloc',
      size: 0x5000,
      type: 'MEM_RESERVE',
      protect: 'PAGE_NOACCESS',
      as: 'base',
    });
    expect(last(s).result.ok).toBe(true);
    expect(s.allocations).toHaveLength(start.allocations.length + 1);
    expect(s.allocations[0]!.pages.map((p) => p.state)).toEqual(Array(5).fill('reserved'));

    s = await step(session, { op: 'Write', address: 'base+0x1000', size: 4 });
    expect(last(s).result.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      access: 'write',
    });

    await step(session, {
      op: 'VirtualAlloc',
      address: 'base+0x1000',
      size: 4096,
      type: 'MEM_COMMIT',
      protect: 'PAGE_READWRITE',
    });
    s = await step(session, { op: 'Write', address: 'base+0x1000', size: 4 });
    expect(last(s).result.ok).toBe(true);
    const page = s.allocations[0]!.pages[1]!;
    expect(page).toMatchObject({
      state: 'committed',
      protect: 'PAGE_READWRITE',
      inWorkingSet: true,
    });
    expect(last(s).after.workingSetSize).toBe(start.counters.workingSetSize + 4096);
    expect(last(s).after.privateUsage).toBe(start.counters.privateUsage + 4096);

    s = await call('sandbox.undo', { session });
    expect(s.history).toHaveLength(3);
    expect(s.allocations[0]!.pages[1]!.inWorkingSet).toBe(false);
    expect(s.counters.workingSetSize).toBe(start.counters.workingSetSize);
  });

  it("knows each page's residency, lock and dirty bit even inside one run of equal protection", async () => {
    const { session } = await open('simulated');
    await step(session, {
      op: 'VirtualAlloc',
      size: 0x6000,
      type: 'MEM_RESERVE|MEM_COMMIT',
      protect: 'PAGE_READWRITE',
      as: 'a',
    });
    await step(session, { op: 'Write', address: 'a+0x1000' });
    await step(session, { op: 'Write', address: 'a+0x3000' });
    await step(session, { op: 'Read', address: 'a+0x4000' });
    const s = await step(session, { op: 'VirtualLock', address: 'a+0x4000', size: 0x1000 });
    const pages = s.allocations[0]!.pages;
    expect(pages.map((p) => p.inWorkingSet)).toEqual([false, true, false, true, true, false]);
    expect(pages.map((p) => p.locked)).toEqual([false, false, false, false, true, false]);
    // The pages written are dirty; those never touched are not.
    expect([0, 1, 2, 3, 5].map((i) => pages[i]!.dirty)).toEqual([false, true, false, true, false]);
    expect(pages.every((p) => p.protect === 'PAGE_READWRITE')).toBe(true);
    const base = s.allocations[0]!.base;
    expect(
      s.regions.filter((r) => r.state === 'committed' && r.allocationBase === base),
    ).toHaveLength(1);
  });

  it('reports a failing call as a result and a malformed step as an error naming the field', async () => {
    const { session } = await open('simulated');
    const s = await step(session, { op: 'VirtualFree', address: '0x10000', type: 'MEM_RELEASE' });
    expect(last(s).result.lastError).toEqual({ code: 487, name: 'ERROR_INVALID_ADDRESS' });
    await expect(step(session, { op: 'Write', address: 'nowhere' })).rejects.toThrow(
      /invalid-input: Step 2: address: "nowhere" is not bound/,
    );
    await expect(
      step(session, {
        op: 'VirtualAlloc',
        size: -1,
        type: 'MEM_RESERVE',
        protect: 'PAGE_NOACCESS',
      }),
    ).rejects.toThrow(/size/);
  });

  it('loads a script (replacing the history), resets, names unknown sessions, and makes room at the cap', async () => {
    const opened = await open('simulated');
    const { session } = opened;
    const script = {
      steps: [
        {
          op: 'VirtualAlloc',
          size: 8192,
          type: ['MEM_RESERVE', 'MEM_COMMIT'],
          protect: 'PAGE_READWRITE',
          as: 'a',
        },
        { op: 'VirtualProtect', address: 'a', size: 4096, protect: 'PAGE_READWRITE|PAGE_GUARD' },
        { op: 'Read', address: 'a' },
      ],
    };
    let s = await call('sandbox.load', { session, script });
    expect(s.history.map((h) => h.step)).toEqual(script.steps);
    expect(last(s).result.exception?.name).toBe('STATUS_GUARD_PAGE_VIOLATION');
    s = await call('sandbox.reset', { session });
    expect(s.history).toEqual([]);
    // Back to a process as it started.
    expect(s.allocations).toEqual(opened.allocations);
    await expect(call('sandbox.state', { session: 'nope' })).rejects.toThrow(
      /not-found: No sandbox session nope/,
    );
    // At the cap, opening one more closes the session used longest ago, and says so.
    const second = await open('simulated');
    await open('simulated');
    await call('sandbox.state', { session });
    await open('simulated');
    await expect(call('sandbox.state', { session: second.session })).rejects.toThrow(
      /not-found: .*closed to make room: at most 3 may be open/,
    );
    expect((await call('sandbox.state', { session })).history).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('sandbox sessions on the live Linux engine', () => {
  it("makes real calls: commit and touch grow the mapping's Rss, decommit drops it, release unmaps it", async () => {
    const { session, pid, source } = await open('live');
    expect(pid).toBeGreaterThan(0);
    expect(source).toBe('linux');
    let s = await step(session, {
      op: 'VirtualAlloc',
      size: 0x10000,
      type: 'MEM_RESERVE',
      protect: 'PAGE_NOACCESS',
      as: 'base',
    });
    // A granule more than asked for, then the slack unmapped: reservations start on 64 KiB, as on Windows.
    expect(last(s).calls[0]).toMatch(
      /^mmap\(NULL, 126976, PROT_NONE, MAP_PRIVATE\|MAP_ANONYMOUS\|MAP_NORESERVE, -1, 0\) = 0x[0-9a-f]+$/,
    );
    const base = last(s).result.returned as string;
    expect(BigInt(base) % 0x10000n).toBe(0n);
    expect(mappingRss(pid!, base)).toBe(0);

    s = await step(session, {
      op: 'VirtualAlloc',
      address: 'base',
      size: 0x8000,
      type: 'MEM_COMMIT',
      protect: 'PAGE_READWRITE',
    });
    expect(last(s).calls).toEqual([`mprotect(${base}, 32768, PROT_READ|PROT_WRITE) = 0`]);
    s = await step(session, { op: 'Write', address: 'base', size: 0x8000 });
    expect(last(s).result.ok).toBe(true);
    expect(mappingRss(pid!, base)).toBe(0x8000);
    expect(s.allocations[0]!.pages.slice(0, 9).map((p) => p.inWorkingSet)).toEqual([
      ...Array(8).fill(true),
      false,
    ]);
    // The state's regions are the child's own mappings in the sandbox, as the inspector reads them.
    // (The PROT_NONE tail may be merged with a neighbouring PROT_NONE mapping, so only its protection is fixed.)
    expect(s.regions.map((r) => r.protect)).toEqual(['PAGE_READWRITE', 'PAGE_NOACCESS']);
    expect([s.regions[0]!.base, s.regions[0]!.size, s.regions[0]!.workingSet?.total]).toEqual([
      base,
      0x8000,
      0x8000,
    ]);

    s = await step(session, {
      op: 'VirtualFree',
      address: 'base',
      size: 0x8000,
      type: 'MEM_DECOMMIT',
    });
    expect(last(s).calls.map((c) => c.split('(')[0])).toEqual(['madvise', 'mprotect']);
    expect(mappingRss(pid!, base)).toBe(0);
    expect(s.allocations[0]!.pages[0]).toMatchObject({ state: 'reserved', inWorkingSet: false });

    await step(session, { op: 'VirtualFree', address: 'base', type: 'MEM_RELEASE' });
    expect(mappingRss(pid!, base)).toBeNull();
  });

  it('a real access violation kills only the child: reported with its address, and a fresh child carries on', async () => {
    const { session, pid } = await open('live');
    await step(session, {
      op: 'VirtualAlloc',
      size: 0x4000,
      type: 'MEM_RESERVE',
      protect: 'PAGE_NOACCESS',
      as: 'base',
    });
    await step(session, {
      op: 'VirtualAlloc',
      address: 'base',
      size: 0x1000,
      type: 'MEM_COMMIT',
      protect: 'PAGE_READONLY',
    });
    const before = held.get(session)!.history[0]!.result.returned as string;
    let s = await step(session, { op: 'Write', address: 'base+0x10', size: 4 });
    const entry = last(s);
    expect(entry.restarted).toBe(true);
    expect(entry.result.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      code: '0xc0000005',
      access: 'write',
    });
    // The fault happened in the child that died, at its address.
    expect(BigInt(entry.result.exception!.address)).toBe(BigInt(before) + 0x10n);
    expect(entry.result.info).toMatchObject({ signal: 'SIGSEGV', pid });
    expect(s.pid).not.toBe(pid);
    // The steps before it now show the fresh child's results: its addresses.
    expect(s.history[0]!.replayedIn).toBe(s.pid);
    expect(s.history[0]!.result.returned).toBe(s.allocations[0]!.base);
    expect(s.history[1]!.replayedIn).toBe(s.pid);
    expect(entry.replayedIn).toBeUndefined();
    // The replayed reservation and commit are there in the new child.
    expect(s.allocations[0]!.pages[0]).toMatchObject({
      state: 'committed',
      protect: 'PAGE_READONLY',
    });
    s = await step(session, { op: 'Read', address: 'base' });
    expect(last(s).result.ok).toBe(true);
    // An access running from a readable page into a reserved one faults at the reserved page.
    const baseBefore = BigInt(s.allocations[0]!.base);
    s = await step(session, { op: 'Read', address: 'base+0xff0', size: 0x20 });
    expect(last(s).result.exception?.address).toBe(`0x${(baseBefore + 0x1000n).toString(16)}`);
    expect(last(s).result.exception?.access).toBe('read');
  });

  it('undoes by replacing the child with a fresh one that replays the steps before the last', async () => {
    const { session, pid } = await open('live');
    await step(session, {
      op: 'VirtualAlloc',
      size: 0x4000,
      type: 'MEM_RESERVE|MEM_COMMIT',
      protect: 'PAGE_READWRITE',
      as: 'a',
    });
    await step(session, {
      op: 'VirtualAlloc',
      size: 0x2000,
      type: 'MEM_RESERVE|MEM_COMMIT',
      protect: 'PAGE_READWRITE',
    });
    const s = await call('sandbox.undo', { session });
    expect(s.history.map((h) => h.result.op)).toEqual(['VirtualAlloc']);
    expect(s.pid).not.toBe(pid);
    // The step left is the fresh child's: its address is the allocation there.
    expect(s.history[0]).toMatchObject({
      replayedIn: s.pid,
      result: { returned: s.allocations[0]!.base },
    });
    expect(s.allocations.map((a) => a.size)).toEqual([0x4000]);
    expect(mappingRss(s.pid!, s.allocations[0]!.base)).toBe(0);
  });

  it('refuses over-cap requests with a clear message that says which calls were made', async () => {
    const { session } = await open('live');
    const s = await step(session, {
      op: 'VirtualAlloc',
      size: 16 * MiB,
      type: 'MEM_RESERVE|MEM_COMMIT',
      protect: 'PAGE_READWRITE',
    });
    expect(last(s).result.lastError).toEqual({ code: 1455, name: 'ERROR_COMMITMENT_LIMIT' });
    expect(last(s).result.info).toEqual({
      refused: expect.stringMatching(/caps commit at 8 MiB; this step would bring it to 16 MiB/),
    });
    expect(s.allocations).toEqual([]);
    await step(session, {
      op: 'VirtualAlloc',
      size: 6 * MiB,
      type: 'MEM_RESERVE|MEM_COMMIT',
      protect: 'PAGE_READWRITE',
      as: 'big',
    });
    const t = await step(session, { op: 'Write', address: 'big', size: 6 * MiB });
    expect(last(t).result.info).toEqual({
      refused: expect.stringMatching(/caps touched memory at 4 MiB/),
    });
    // The write touched pages for real up to the cap: the refusal says so instead of "Nothing was called".
    expect(last(t).calls.filter((c) => c.startsWith('memset('))).toHaveLength(1024);
    expect(String(last(t).result.info!['refused'])).toMatch(
      /The calls listed were made before the cap was reached/,
    );
    expect(String(last(t).result.info!['refused'])).not.toMatch(/Nothing was called/);
  });
});
