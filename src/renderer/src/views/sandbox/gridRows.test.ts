import { describe, expect, it } from 'vitest';
import type { PageCell, PageRun } from '../../../../shared/sandboxSession';
import { changedPages } from './changes';
import { gridRows, runsOf } from './gridRows';

const reserved: PageCell = {
  state: 'reserved',
  protect: null,
  inWorkingSet: false,
  locked: false,
  guard: false,
  dirty: false,
};
const rw: PageCell = { ...reserved, state: 'committed', protect: 'PAGE_READWRITE' };

describe('gridRows', () => {
  it('puts 16 pages in a row, one 64 KiB granule, and ends with a short row', () => {
    const rows = gridRows([
      { start: 0, count: 2, page: rw },
      { start: 2, count: 18, page: reserved },
    ]);
    expect(rows.map((r) => [r.kind, r.first, r.kind === 'cells' ? r.cells.length : 0])).toEqual([
      ['cells', 0, 16],
      ['cells', 16, 4],
    ]);
    const first = rows[0]!;
    expect(first.kind === 'cells' && first.cells.slice(0, 3)).toEqual([rw, rw, reserved]);
  });

  it('folds a 1 TiB reservation into one drawn row and the count of the rest', () => {
    const pages = 2 ** 40 / 4096;
    const runs: PageRun[] = [
      { start: 0, count: 16, page: rw },
      { start: 16, count: pages - 16, page: reserved },
    ];
    const rows = gridRows(runs);
    expect(rows).toEqual([
      { kind: 'cells', first: 0, cells: Array(16).fill(rw) },
      { kind: 'cells', first: 16, cells: Array(16).fill(reserved) },
      {
        kind: 'fold',
        first: 32,
        rows: pages / 16 - 2,
        pages: pages - 32,
        page: reserved,
      },
    ]);
  });

  it('keeps two alike rows as they are: a fold saves nothing there', () => {
    const rows = gridRows([{ start: 0, count: 32, page: rw }]);
    expect(rows.map((r) => r.kind)).toEqual(['cells', 'cells']);
  });

  it('draws a run that starts mid-row in the rows around it, folding only whole rows', () => {
    const rows = gridRows([
      { start: 0, count: 8, page: reserved },
      { start: 8, count: 8 + 16 * 5, page: rw },
    ]);
    expect(rows.map((r) => [r.kind, r.first])).toEqual([
      ['cells', 0],
      ['cells', 16],
      ['fold', 32],
    ]);
    expect(rows[2]).toMatchObject({ rows: 4, pages: 64 });
  });
});

describe('runsOf', () => {
  it('encodes a page list as runs when the engine sent no runs', () => {
    const runs = runsOf({
      base: '0x10000',
      size: 4 * 4096,
      type: 'private',
      pages: [rw, { ...rw }, reserved, reserved],
      truncated: false,
    });
    expect(runs).toEqual([
      { start: 0, count: 2, page: rw },
      { start: 2, count: 2, page: reserved },
    ]);
  });
});

describe('changedPages', () => {
  const allocation = (runs: PageRun[]) => ({
    base: '0x10000',
    size: runs.reduce((n, r) => n + r.count, 0) * 4096,
    type: 'private' as const,
    pages: [],
    truncated: false,
    runs,
  });

  it('finds the pages whose cell changed by walking both run lists', () => {
    const before = allocation([{ start: 0, count: 2 ** 28, page: reserved }]);
    const after = allocation([
      { start: 0, count: 16, page: reserved },
      { start: 16, count: 16, page: rw },
      { start: 32, count: 2 ** 28 - 32, page: reserved },
    ]);
    expect(changedPages([before], [after]).get('0x10000')).toEqual([[16, 32]]);
    expect(changedPages([after], [after]).size).toBe(0);
  });

  it('marks a new allocation changed throughout', () => {
    const after = allocation([{ start: 0, count: 4, page: rw }]);
    expect(changedPages([], [after]).get('0x10000')).toEqual([[0, 4]]);
  });
});
