import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatchCall, dispatchSubscribe } from '../../src/core/dispatch';
import { createService } from '../../src/core/service';
import { HEAD_ROWS } from '../../src/core/snapshotStream';
import { SmapsReader } from '../../src/core/sources/linux/smapsReader';
import type { SnapshotStreamEvent, StreamMessage } from '../../src/shared/api';
import type { Snapshot } from '../../src/shared/model';
import { decodeSnapshot } from '../../src/shared/snapshotCodec';
import { snapshotToJson } from '../../src/shared/snapshotJson';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild, stopAllChildren } from '../support/children';

afterAll(stopAllChildren);

const service = createService(undefined, undefined, {
  libraryFolder: mkdtempSync(join(tmpdir(), 'vmscope-stream-library-')),
});

type Message = StreamMessage<SnapshotStreamEvent>;

/** Every message of one process.snapshotStream, to its end. */
function streamOf(input: Record<string, unknown>): Promise<Message[]> {
  return new Promise((resolve, reject) => {
    const messages: Message[] = [];
    void dispatchSubscribe(service, 'process.snapshotStream', input, (m) => {
      messages.push(m as Message);
      if (m.kind === 'end') resolve(messages);
    }).then((started) => {
      if (!started.ok) reject(new Error(started.error.message));
    });
  });
}

/**
 * Proportional measures: a shared page's share moves whenever another process maps or unmaps it
 * (libc: any process starting or exiting), so two reads of a process differ in them however taken.
 */
const SHARE_FIELDS = ['pss', 'pssDirty', 'pssAnon', 'pssFile', 'pssShmem', 'swapPss'];

/**
 * A snapshot as a plain document, without what two reads of the same process never share: when
 * they were taken, and (for a real process) the proportional measures.
 */
function comparable(snapshot: Snapshot): unknown {
  const doc = JSON.parse(snapshotToJson(snapshot)) as Record<string, unknown>;
  delete doc['takenAt'];
  delete doc['durationMs'];
  for (const region of doc['regions'] as { linux?: Record<string, unknown> }[])
    for (const key of SHARE_FIELDS) delete region.linux?.[key];
  return doc;
}

function dataOf(messages: Message[]): SnapshotStreamEvent[] {
  return messages.flatMap((m) => (m.kind === 'data' ? [m.data] : []));
}

/** This process's open descriptors on /proc/PID/smaps. */
function smapsDescriptors(pid: number): number {
  let open = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === `/proc/${pid}/smaps`) open++;
    } catch {
      // Closed between the listing and the read.
    }
  }
  return open;
}

describe.runIf(process.platform === 'linux')('process.snapshotStream of a real process', () => {
  let pid = 0;
  beforeAll(async () => {
    // 4,000 one-page mappings: about 4 MB of smaps, many read-ahead chunks. A private copy of the
    // helper, so other tests running it never share (and so change the counts of) its pages.
    const binary = join(mkdtempSync(join(tmpdir(), 'vmscope-stream-')), 'spacedmaps');
    copyFileSync(compileHelper('spacedmaps'), binary);
    chmodSync(binary, 0o755);
    const child = spawnChild(binary, ['4000']);
    expect(await firstLine(child)).toBe('ready 4000');
    pid = child.pid!;
    // Asleep in pause(): its counters (page faults) no longer move between two reads.
    const deadline = Date.now() + 10_000;
    const state = (): string => /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))![1]!;
    while (state() !== 'S' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(state()).toBe('S');
  });

  it('sends the head first, then ends with the snapshot process.snapshot gives', async () => {
    const messages = await streamOf({ pid });
    const oneShot = await dispatchCall(service, 'process.snapshot', { pid });
    expect(oneShot.ok).toBe(true);
    expect(messages.at(-1)).toEqual({ kind: 'end', reason: 'closed' });
    const events = dataOf(messages);
    expect(events.map((e) => e.final)).toEqual([false, true]);
    const [head, last] = events.map((e) => decodeSnapshot(e.snapshot));
    const final = last!;
    expect(events[1]!.regions).toBe(final.regions.length);
    expect(comparable(final)).toEqual(comparable((oneShot as { value: Snapshot }).value));
    expect(final.regions.length).toBeGreaterThan(8000);
    // The head: a part of the process, each of its mappings where the whole snapshot has it.
    expect(events[0]!.regions).toBe(head!.regions.length);
    const mapped = head!.regions.filter((r) => r.state !== 'free');
    expect(mapped.length).toBeGreaterThan(10);
    expect(mapped.length).toBeLessThan(final.regions.length / 4);
    const bases = new Map(final.regions.map((r) => [r.base, r.size]));
    for (const r of mapped.slice(0, -1)) expect(bases.get(r.base)).toBe(r.size);

    // The service keeps the snapshot it sent when the page asks, writing its JSON itself.
    const taken = events[1]!.taken!;
    expect(events[0]!.taken).toBeUndefined();
    const kept = await dispatchCall(service, 'library.keepTaken', { taken, automatic: true });
    expect(kept.ok).toBe(true);
    const entry = (kept as { value: { kept: { id: string; regions: number } } }).value.kept;
    const opened = await dispatchCall(service, 'library.open', { id: entry.id });
    expect(comparable((opened as { value: Snapshot }).value)).toEqual(comparable(final));
  });

  it('answers library.keepTaken of a snapshot it does not hold with not-found', async () => {
    const r = await dispatchCall(service, 'library.keepTaken', { taken: '0123456789abcdef' });
    expect(!r.ok && r.error.code).toBe('not-found');
  });

  it('stops the read and closes smaps when closed after the head, sending nothing more', async () => {
    const scans = vi.spyOn(SmapsReader.prototype, 'scan');
    const messages: Message[] = [];
    // Closed as the first message arrives, the way a page that moves on closes it (or as soon as
    // it has started, when the first message came before the start resolved).
    let stop: (() => void) | undefined;
    const started = await dispatchSubscribe(service, 'process.snapshotStream', { pid }, (m) => {
      messages.push(m as Message);
      stop?.();
    });
    expect(started.ok).toBe(true);
    if (started.ok) stop = started.value;
    if (messages.length > 0) stop?.();
    // The head is sent while smaps is open: wait for it, then for the descriptor to go.
    const deadline = Date.now() + 10_000;
    while (messages.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(messages).toHaveLength(1);
    while (smapsDescriptors(pid) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(smapsDescriptors(pid)).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(messages.map((m) => m.kind === 'data' && m.data.final)).toEqual([false]);
    // Only the head was read: the rest of smaps never was.
    expect(scans.mock.calls.map((args) => args[1])).toEqual([1]);
    scans.mockRestore();
  });

  it('refuses bad input with the contract error, as process.snapshot does', async () => {
    const r = await dispatchSubscribe(service, 'process.snapshotStream', { pid: -1 }, () => {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('invalid-input');
  });
});

describe('process.snapshotStream of a simulated process', () => {
  it('ends with the snapshot process.snapshot gives, its head first when it is large', async () => {
    const list = await dispatchCall(service, 'processes.list', { source: 'simulated' });
    const pids = (list as { value: { pid: number }[] }).value.map((p) => p.pid);
    expect(pids.length).toBeGreaterThan(0);
    // The simulated machine runs on a clock: stopped, two reads of a process see the same one.
    await dispatchCall(service, 'machine.clock', { action: 'pause' });
    for (const pid of pids) {
      const messages = await streamOf({ pid, source: 'simulated' });
      const oneShot = await dispatchCall(service, 'process.snapshot', { pid, source: 'simulated' });
      const events = dataOf(messages);
      const final = decodeSnapshot(events.at(-1)!.snapshot);
      expect(events.at(-1)!.final).toBe(true);
      expect(comparable(final)).toEqual(comparable((oneShot as { value: Snapshot }).value));
      expect(events.length).toBe(final.regions.length > HEAD_ROWS ? 2 : 1);
    }
    await dispatchCall(service, 'machine.clock', { action: 'resume' });
  });
});
