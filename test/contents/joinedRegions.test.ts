/**
 * Search and strings across the boundary of two regions side by side (a program sees one stretch
 * of memory there), never across a gap; and UTF-16LE at odd addresses. On a real process (the
 * contents helper's "joined" pair of mappings and its odd-address marker) and on the simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanSlots, startSearch, startStrings } from '../../src/core/contents/scans';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { SimulatedMachine } from '../../src/core/sources/simulated/simulatedMachine';
import { createSimulatedSource } from '../../src/core/sources/simulated/simulatedSource';
import type { Source } from '../../src/core/sources/source';
import { writtenLine } from '../../src/core/sim/writtenPages';
import { formatAddress, parseAddress } from '../../src/shared/address';
import type { StreamMessage } from '../../src/shared/api';
import type {
  FoundString,
  SearchEvent,
  SearchMatch,
  StringsEvent,
} from '../../src/shared/memoryScan';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../src/shared/winConstants';
import { stopAllChildren } from '../support/children';
import {
  ACROSS_MARKER,
  type ContentsProcess,
  ODD_WIDE_MARKER,
  startContentsHelper,
} from './contentsHelper';

type Start<I, E> = (
  slots: ScanSlots,
  source: Source,
  input: I,
  emit: (m: StreamMessage<E>) => void,
) => () => void;

/** Runs a scan to its end; resolves with its events' data. */
function scan<I, E>(start: Start<I, E>, source: Source, input: I): Promise<E[]> {
  return new Promise((resolve, reject) => {
    const events: E[] = [];
    start(new ScanSlots(), source, input, (m) => {
      if (m.kind === 'data') events.push(m.data);
      else if (m.reason === 'closed') resolve(events);
      else reject(new Error(m.error?.message ?? m.reason));
    });
  });
}

const search = (source: Source, input: Parameters<typeof startSearch>[2]): Promise<SearchMatch[]> =>
  scan<typeof input, SearchEvent>(startSearch, source, input).then((e) =>
    e.flatMap((x) => x.matches),
  );
const strings = (
  source: Source,
  input: Parameters<typeof startStrings>[2],
): Promise<FoundString[]> =>
  scan<typeof input, StringsEvent>(startStrings, source, input).then((e) =>
    e.flatMap((x) => x.strings),
  );

describe.runIf(process.platform === 'linux')('a real process', () => {
  const source = createLinuxSource();
  let helper: ContentsProcess;
  let first: string;
  let second: string;
  beforeAll(async () => {
    helper = await startContentsHelper();
    first = helper.report.joined;
    second = formatAddress(parseAddress(first) + BigInt(helper.report.pageSize));
  });
  afterAll(stopAllChildren);
  const across = () => formatAddress(parseAddress(first) + BigInt(helper.report.pageSize - 12));

  it('has two regions side by side where the marker crosses', async () => {
    const snapshot = await source.snapshot(helper.pid, { includeFree: false });
    const bases = snapshot.regions.map((r) => r.base);
    expect(bases).toContain(first);
    expect(bases).toContain(second);
  });

  it('search finds the marker across the boundary once, in the region it starts in', async () => {
    const matches = await search(source, { pid: helper.pid, kind: 'text', pattern: ACROSS_MARKER });
    expect(matches).toEqual([{ address: across(), regionBase: first, kind: 'text' }]);
    const named = await search(source, {
      pid: helper.pid,
      kind: 'text',
      pattern: ACROSS_MARKER,
      regions: [second, first],
    });
    expect(named).toEqual(matches);
  });

  it('search does not join a region with one that is not scanned', async () => {
    const matches = await search(source, {
      pid: helper.pid,
      kind: 'text',
      pattern: ACROSS_MARKER,
      regions: [first],
    });
    expect(matches).toEqual([]);
  });

  it('strings gives the marker whole, from the first region', async () => {
    const found = await strings(source, {
      pid: helper.pid,
      min: 8,
      encodings: ['ascii'],
      regions: [first, second],
    });
    expect(found).toEqual([
      { address: across(), regionBase: first, encoding: 'ascii', text: ACROSS_MARKER },
    ]);
  });

  it('finds UTF-16LE text at an odd address, by search and by strings', async () => {
    const odd = formatAddress(
      parseAddress(helper.report.rw) + BigInt(2 * helper.report.pageSize + 0x81),
    );
    const rw = helper.report.rw;
    const matches = await search(source, {
      pid: helper.pid,
      kind: 'utf16',
      pattern: ODD_WIDE_MARKER,
    });
    expect(matches).toEqual([{ address: odd, regionBase: rw, kind: 'utf16' }]);
    const found = await strings(source, {
      pid: helper.pid,
      min: 8,
      encodings: ['utf16le'],
      regions: [rw],
    });
    expect(found).toContainEqual({
      address: odd,
      regionBase: rw,
      encoding: 'utf16le',
      text: ODD_WIDE_MARKER,
    });
  });
});

describe('the simulator', () => {
  const machine = new SimulatedMachine({ seed: 7 });
  machine.pause();
  const source = createSimulatedSource(machine);
  const sim = machine.processes()[0]!;
  const pid = sim.member.pid;
  const PAGE = 4096n;
  const ok = <T>(r: { ok: true; value: T } | { ok: false }): T => {
    if (!r.ok) throw new Error('simulated call failed');
    return r.value;
  };
  // Two pages of one reservation, committed with different protections: two regions side by side.
  const base = ok(sim.process.virtualAlloc(null, 2n * PAGE, M.MEM_RESERVE, P.PAGE_READWRITE));
  ok(sim.process.virtualAlloc(base, PAGE, M.MEM_COMMIT, P.PAGE_READWRITE));
  ok(sim.process.virtualAlloc(base + PAGE, PAGE, M.MEM_COMMIT, P.PAGE_EXECUTE_READWRITE));
  for (const page of [0n, 1n]) sim.process.access('write', base + page * PAGE, 1n);
  const region = (page: bigint) => formatAddress(base + page * PAGE);
  // A line of page 0 from its address on, then a line of page 1 up to its address: the boundary
  // is the only place page 0's text runs into page 1's.
  const pattern = `${writtenLine(base).slice(30)}${writtenLine(base + PAGE).slice(0, 46)}`;
  const atBoundary = {
    address: formatAddress(base + PAGE - 34n),
    regionBase: region(0n),
    kind: 'text',
  };

  it('has the two regions side by side', async () => {
    const bases = (await source.snapshot(pid, { includeFree: false })).regions.map((r) => r.base);
    expect(bases).toEqual(expect.arrayContaining([region(0n), region(1n)]));
  });

  it('search finds a pattern across the two regions, and not when only the first is scanned', async () => {
    const joined = await search(source, {
      pid,
      kind: 'text',
      pattern,
      regions: [region(0n), region(1n)],
    });
    expect(joined).toEqual([atBoundary]);
    expect(await search(source, { pid, kind: 'text', pattern, regions: [region(0n)] })).toEqual([]);
  });
});
