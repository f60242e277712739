/**
 * The simulated engine keeps its simulation between steps and goes back by checkpoints; sessions
 * refuse work over their caps with `limit-exceeded`; and a journal of a session's changes rebuilds
 * it in a fresh SandboxSessions (as a restarted worker does).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type JournalChange,
  type SessionRecord,
  applyJournalChange,
} from '../../src/core/sandbox/journal';
import { SandboxSessions } from '../../src/core/sandbox/session';
import { SimulatedEngine } from '../../src/core/sandbox/simulatedEngine';
import { VmscopeError } from '../../src/shared/errors';
import { type ScriptStep, parseSandboxScript } from '../../src/shared/sandboxScript';

const GiB = 2 ** 30;

/** A deterministic mix of steps: allocations come and go, pages are touched, locked, trimmed and protected. */
function mix(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const slot = `a${Math.floor(i / 6) % 16}`;
    switch (i % 6) {
      case 0:
        return {
          op: 'VirtualAlloc',
          size: 0x20000,
          type: 'MEM_RESERVE|MEM_COMMIT',
          protect: 'PAGE_READWRITE',
          as: slot,
        };
      case 1:
        return { op: 'Write', address: slot, size: 0x8000 + (i % 5) * 0x1000 };
      case 2:
        return {
          op: 'VirtualProtect',
          address: `${slot}+0x2000`,
          size: 0x1000,
          protect: i % 4 ? 'PAGE_READONLY' : 'PAGE_READWRITE|PAGE_GUARD',
        };
      case 3:
        return i % 12 === 3
          ? { op: 'VirtualFree', address: slot, type: 'MEM_RELEASE' }
          : { op: 'Read', address: `${slot}+0x2000`, size: 8 };
      case 4:
        return i % 30 === 4
          ? { op: 'EmptyWorkingSet' }
          : { op: 'VirtualLock', address: slot, size: 0x1000 };
      default:
        return { op: 'HeapAlloc', heap: '0x0', size: 64 };
    }
  });
}

function parsed(raw: Record<string, unknown>[]): ScriptStep[] {
  const p = parseSandboxScript({ steps: raw });
  if (!p.ok) throw new Error(p.errors.join('; '));
  return p.script.steps;
}

describe('the simulated engine', () => {
  it('restores any checkpoint to exactly the state a fresh engine reaches with the steps before it', async () => {
    const steps = parsed(mix(360));
    const engine = new SimulatedEngine({ physicalMemory: 64 * 2 ** 20 });
    const checkpoints = [];
    for (const step of steps) {
      checkpoints.push(engine.checkpoint());
      await engine.step(step);
    }
    // Backwards only: a restore forgets the steps after its checkpoint.
    for (const at of [359, 301, 300, 120, 7, 0]) {
      await engine.restore(checkpoints[at]!);
      const fresh = new SimulatedEngine({ physicalMemory: 64 * 2 ** 20 });
      for (const step of steps.slice(0, at)) await fresh.step(step, false);
      expect(await engine.view()).toEqual(await fresh.view());
      // And it carries on from there as the fresh one does.
      expect(await engine.step(steps[at]!)).toEqual(await fresh.step(steps[at]!));
      await engine.restore(checkpoints[at]!);
    }
  });

  it('brings back write-watch bits a later GetWriteWatch reset, from its copies too', async () => {
    const engine = new SimulatedEngine(undefined);
    const alloc = {
      op: 'VirtualAlloc',
      size: 0x10000,
      type: 'MEM_RESERVE|MEM_COMMIT|MEM_WRITE_WATCH',
      protect: 'PAGE_READWRITE',
      as: 'w',
    };
    const watch = parsed([
      alloc,
      { op: 'GetWriteWatch', flags: 'WRITE_WATCH_FLAG_RESET', address: 'w', size: 0x10000 },
    ])[1]!;
    // Later steps are parsed after the binding step, as a session checks them.
    const run = async (raw: Record<string, unknown>[]): Promise<void> => {
      for (const step of parsed([alloc, ...raw]).slice(1)) await engine.step(step);
    };
    await engine.step(parsed([alloc])[0]!);
    await run([
      { op: 'Write', address: 'w', size: 1 },
      { op: 'Write', address: 'w+0x3000', size: 1 },
    ]);
    // Steps enough for the engine to take copies, so the restore below starts from one.
    await run(
      Array.from({ length: 400 }, (_, i) => ({
        op: 'Read',
        address: `w+0x${((i % 16) * 0x1000).toString(16)}`,
        size: 8,
      })),
    );
    expect((engine as unknown as { copies: unknown[] }).copies.length).toBeGreaterThan(0);
    const before = engine.checkpoint();
    const first = await engine.step(watch);
    expect(first.result.info).toMatchObject({ count: 2 });
    expect((await engine.step(watch)).result.info).toMatchObject({ count: 0 });
    await engine.restore(before);
    expect((await engine.step(watch)).result).toEqual(first.result);
  });
});

describe('sandbox limits', () => {
  it("refuses the issue's reproduction (1 TiB machine, VirtualAlloc 1 TiB, Write 100 GiB) at once, naming the cap", async () => {
    const sessions = new SandboxSessions();
    try {
      const { session } = await sessions.open({
        engine: 'simulated',
        machine: { physicalMemory: 2 ** 40, pagefileSize: 2 ** 42 },
      });
      const alloc = await sessions.step(session, {
        op: 'VirtualAlloc',
        size: 2 ** 40,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'big',
      });
      expect(alloc.entry.result.ok).toBe(true);
      const started = performance.now();
      const refused = await sessions
        .step(session, { op: 'Write', address: 'big', size: 100 * GiB })
        .catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(VmscopeError);
      expect(refused).toMatchObject({
        code: 'limit-exceeded',
        message: expect.stringMatching(/cap: 1 GiB of touched pages in the simulated sandbox/),
      });
      expect((refused as Error).message).toMatch(/Write of 100 GiB .* the step was not run/);
      expect((refused as Error).message).not.toMatch(/Nothing was called/);
      // Refused before any work: far less than the minutes the write would take (a loose bound, not a timing test).
      expect(performance.now() - started).toBeLessThan(10_000);
      // The session goes on; a write under the cap runs.
      const small = await sessions.step(session, { op: 'Write', address: 'big', size: 64 * 1024 });
      expect([small.length, small.entry.result.ok]).toEqual([2, true]);
    } finally {
      sessions.closeAll();
    }
  });

  it('counts touched pages across steps, not per step', async () => {
    const sessions = new SandboxSessions({ limits: { simulatedTouchedBytes: 16 * 4096 } });
    try {
      const { session } = await sessions.open({ engine: 'simulated' });
      await sessions.step(session, {
        op: 'VirtualAlloc',
        size: 0x40000,
        type: 'MEM_RESERVE|MEM_COMMIT',
        protect: 'PAGE_READWRITE',
        as: 'a',
      });
      await sessions.step(session, { op: 'Write', address: 'a', size: 10 * 4096 });
      // The same pages again touch nothing new.
      await sessions.step(session, { op: 'Read', address: 'a', size: 10 * 4096 });
      await expect(
        sessions.step(session, { op: 'Write', address: 'a+0xa000', size: 7 * 4096 }),
      ).rejects.toMatchObject({ code: 'limit-exceeded' });
      expect(
        (await sessions.step(session, { op: 'Write', address: 'a+0xa000', size: 6 * 4096 })).entry
          .result.ok,
      ).toBe(true);
    } finally {
      sessions.closeAll();
    }
  });

  it('caps steps per script and per session', async () => {
    const sessions = new SandboxSessions({ limits: { maxSteps: 4 } });
    try {
      const { session } = await sessions.open({ engine: 'simulated' });
      await expect(sessions.load(session, { steps: mix(5) })).rejects.toMatchObject({
        code: 'limit-exceeded',
        message: expect.stringMatching(/5 steps.*cap: 4 steps per script/),
      });
      await sessions.load(session, { steps: mix(4) });
      await expect(sessions.step(session, { op: 'GetSystemInfo' })).rejects.toMatchObject({
        code: 'limit-exceeded',
        message: expect.stringMatching(/cap: 4 steps per session/),
      });
      expect((await sessions.state(session)).history).toHaveLength(4);
    } finally {
      sessions.closeAll();
    }
  });

  it('stops a load that runs past the wall time per call, keeping the steps it ran', async () => {
    const sessions = new SandboxSessions({ limits: { callMs: 1 } });
    try {
      const { session } = await sessions.open({ engine: 'simulated' });
      const err = await sessions.load(session, { steps: mix(20_000) }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: 'limit-exceeded',
        message: expect.stringMatching(/ran out of time after \d+ step\(s\).*cap: 1 ms per call/),
      });
      const ran = Number(/after (\d+) step/.exec((err as Error).message)![1]);
      expect((await sessions.state(session)).history).toHaveLength(ran);
    } finally {
      sessions.closeAll();
    }
  });

  it.runIf(process.platform === 'linux')(
    'stops a live step that does not answer in time, and the session carries on with a fresh child',
    async () => {
      // A child that starts and reports, but never answers a step.
      const dir = mkdtempSync(join(tmpdir(), 'vmscope-stuck-'));
      const module = join(dir, 'stuck.mjs');
      writeFileSync(
        module,
        `import { openSync } from 'node:fs';
      process.on('message', (m) => {
        if (m.kind === 'init') (openSync(m.touchFile, 'w'), process.send({ id: m.id, kind: 'ready' }));
        else if (m.kind === 'view') process.send({ id: m.id, kind: 'view', allocations: [], counters: null });
      });
      process.on('disconnect', () => process.exit(0));`,
      );
      const sessions = new SandboxSessions({
        liveChild: { module, args: [], execArgv: [] },
        limits: { callMs: 300 },
      });
      try {
        const { session, pid } = await sessions.open({ engine: 'live' });
        const err = await sessions.step(session, { op: 'GetSystemInfo' }).catch((e: unknown) => e);
        expect(err).toMatchObject({
          code: 'limit-exceeded',
          message: expect.stringMatching(/did not finish GetSystemInfo.*cap: 300 ms per call/),
        });
        const state = await sessions.state(session);
        expect(state.history).toEqual([]);
        expect(state.pid).not.toBe(pid);
      } finally {
        sessions.closeAll();
      }
    },
  );
});

describe('session journal and restore', () => {
  it('rebuilds every open session under its old id from the journal: steps, undo, load, reset and close included', async () => {
    const changes: JournalChange[] = [];
    const records = new Map<string, SessionRecord>();
    const first = new SandboxSessions({
      journal: (c) => (changes.push(c), applyJournalChange(records, c)),
    });
    const a = (await first.open({ engine: 'simulated', machine: { physicalMemory: 32 * 2 ** 20 } }))
      .session;
    const b = (await first.open({ engine: 'simulated' })).session;
    const c = (await first.open({ engine: 'simulated' })).session;
    for (const step of mix(40)) await first.step(a, step);
    await first.undo(a);
    await first.undo(a);
    await first.load(b, { machine: { physicalMemory: 16 * 2 ** 20 }, steps: mix(25) });
    await first.step(b, { op: 'GetSystemInfo' });
    await first.reset(c);
    await first.step(c, {
      op: 'VirtualAlloc',
      size: 4096,
      type: 'MEM_RESERVE',
      protect: 'PAGE_NOACCESS',
    });
    const closed = (await first.open({ engine: 'simulated' })).session;
    first.close(closed);
    expect(changes.map((x) => x.change)).toContain('truncate');
    expect([...records.keys()]).toEqual([a, b, c]);

    const second = new SandboxSessions();
    await second.restore([...records.values()]);
    for (const id of [a, b, c]) {
      const before = await first.state(id);
      const after = await second.state(id);
      expect(after.history.map((h) => h.step)).toEqual(before.history.map((h) => h.step));
      expect(after.history.map((h) => h.result)).toEqual(before.history.map((h) => h.result));
      expect([after.allocations, after.regions, after.counters]).toEqual([
        before.allocations,
        before.regions,
        before.counters,
      ]);
    }
    await expect(second.state(closed)).rejects.toMatchObject({ code: 'not-found' });
    first.closeAll();
    second.closeAll();
  });
});
