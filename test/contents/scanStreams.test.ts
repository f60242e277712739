/**
 * The memory-contents streams through the contract (createService + dispatchSubscribe), on real
 * processes: search and statistics on the contents helper, cancelling a long scan, the cap on
 * concurrent scans, and the label on reads of vmscope's own process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchCall, dispatchSubscribe } from '../../src/core/dispatch';
import { createService } from '../../src/core/service';
import type { MemoryRead } from '../../src/shared/api';
import { formatAddress, parseAddress } from '../../src/shared/address';
import {
  MAX_CONCURRENT_SCANS,
  type SearchEvent,
  type StatsEvent,
} from '../../src/shared/memoryScan';
import { stopAllChildren } from '../support/children';
import { runStream } from '../support/serviceStreams';
import { type ContentsProcess, PATTERN_HEX, startContentsHelper } from './contentsHelper';

const service = createService();
let helper: ContentsProcess;
let big: ContentsProcess;

beforeAll(async () => {
  [helper, big] = await Promise.all([startContentsHelper(), startContentsHelper(256)]);
});
afterAll(stopAllChildren);

describe.runIf(process.platform === 'linux')('memory-content streams', () => {
  it('search streams the matches with progress and ends with finished', async () => {
    const { events, end } = await runStream<SearchEvent>(service, 'process.search', {
      pid: helper.pid,
      kind: 'hex',
      pattern: PATTERN_HEX,
      regions: [helper.report.rw],
    });
    expect(end).toEqual({ kind: 'end', reason: 'closed' });
    const matches = events.flatMap((e) => e.matches);
    const at = formatAddress(parseAddress(helper.report.rw) + 0x2010n);
    expect(matches).toEqual([{ address: at, regionBase: helper.report.rw, kind: 'hex' }]);
    const last = events.at(-1)!;
    expect(last.finished).toEqual({ truncated: false });
    expect(last.progress.doneBytes).toBe(last.progress.totalBytes);
    expect(last.progress).toMatchObject({ regionsDone: 1, regionsTotal: 1, totalBytes: 16 * 4096 });
  });

  it('statistics count the zero and duplicate pages of the known region', async () => {
    const { events } = await runStream<StatsEvent>(service, 'region.stats', {
      pid: helper.pid,
      regions: [helper.report.rw],
    });
    const stats = events.flatMap((e) => e.stats);
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({
      regionBase: helper.report.rw,
      pages: 16,
      zeroPages: 11,
      distinctPages: 5,
      holeBytes: 0,
    });
    expect(stats[0]!.entropy).toBeGreaterThan(0);
    expect(stats[0]!.entropy).toBeLessThan(1);
  });

  it('a named region that is not one is not-found, a bad hex pattern invalid-input', async () => {
    const { end } = await runStream(service, 'process.strings', {
      pid: helper.pid,
      regions: ['0x1000'],
    });
    expect(end).toMatchObject({ kind: 'end', reason: 'error', error: { code: 'not-found' } });
    const refused = await dispatchSubscribe(
      service,
      'process.search',
      { pid: helper.pid, kind: 'hex', pattern: 'xyz' },
      () => {},
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('closing a stream stops its scan and frees its slot; one scan over the cap is refused', async () => {
    const stops: (() => void)[] = [];
    let afterStop = 0;
    let stopped = false;
    let firstEvent: () => void = () => {};
    const gotOne = new Promise<void>((resolve) => (firstEvent = resolve));
    for (let i = 0; i < MAX_CONCURRENT_SCANS; i++) {
      const started = await dispatchSubscribe(
        service,
        'process.strings',
        { pid: big.pid, min: 4 },
        (m) => {
          if (i === 0 && m.kind === 'data') firstEvent();
          if (stopped) afterStop++;
        },
      );
      if (!started.ok) throw new Error(started.error.message);
      stops.push(started.value);
    }
    const refused = await dispatchSubscribe(service, 'process.strings', { pid: big.pid }, () => {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'limit-exceeded' } });
    await gotOne;
    stopped = true;
    for (const stop of stops) stop();
    // A scan stops between chunks: one more subscription is accepted once the slots are released.
    await expect
      .poll(async () => {
        const again = await dispatchSubscribe(
          service,
          'process.search',
          { pid: helper.pid, kind: 'text', pattern: 'x', regions: [helper.report.rw] },
          () => {},
        );
        if (again.ok) again.value();
        return again.ok;
      })
      .toBe(true);
    expect(afterStop).toBe(0);
  });

  it("reads of vmscope's own process are allowed and labelled", async () => {
    const read = await dispatchCall(service, 'region.read', {
      pid: process.pid,
      address: formatAddress(BigInt(0)),
      size: 16,
    });
    expect(read).toMatchObject({ ok: true, value: { ownProcess: true } });
    expect((read as { value: MemoryRead }).value.holes).toEqual([
      { offset: 0, size: 16, reason: 'free' },
    ]);
  });
});
