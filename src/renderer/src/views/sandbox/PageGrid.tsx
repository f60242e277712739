import { useMemo } from 'react';
import { formatCount, formatSize } from '../../../../shared/format';
import type { PageCell, PageRun, SandboxAllocation } from '../../../../shared/sandboxSession';
import { gridRows, runsOf } from './gridRows';

const PAGE = 4096n;

const hex = (n: bigint): string => `0x${n.toString(16)}`;

/** The colour class of a page: its state, then its base access. */
function colourOf(page: PageCell): string {
  if (page.state === 'reserved') return 'pg-reserved';
  const p = page.protect ?? '';
  if (p.startsWith('PAGE_EXECUTE_READWRITE') || p.startsWith('PAGE_EXECUTE_WRITECOPY'))
    return 'pg-rwx';
  if (p.startsWith('PAGE_WRITECOPY')) return 'pg-wc';
  if (p.startsWith('PAGE_EXECUTE')) return 'pg-x';
  if (p.startsWith('PAGE_READWRITE')) return 'pg-rw';
  if (p.startsWith('PAGE_READONLY')) return 'pg-ro';
  return 'pg-noaccess';
}

const yesNo = (v: boolean | null, partly = 'some pages of the run'): string =>
  v === null ? partly : v ? 'yes' : 'no';

/** VirtualQuery's answer for the page, as the tooltip shows it, plus the page's own bits. */
function describe(allocation: SandboxAllocation, runs: readonly PageRun[], index: number): string {
  let r = runs.findIndex((run) => run.start + run.count > index);
  const page = runs[r]!.page;
  // The region goes on while state and protection stay (residency may change within it).
  while (
    r + 1 < runs.length &&
    runs[r + 1]!.page.state === page.state &&
    runs[r + 1]!.page.protect === page.protect
  )
    r++;
  const end = runs[r]!.start + runs[r]!.count;
  const base = BigInt(allocation.base);
  return [
    'MEMORY_BASIC_INFORMATION',
    `BaseAddress        ${hex(base + BigInt(index) * PAGE)}`,
    `AllocationBase     ${allocation.base}`,
    `RegionSize         ${hex(BigInt(end - index) * PAGE)}`,
    `State              ${page.state === 'committed' ? 'MEM_COMMIT' : 'MEM_RESERVE'}`,
    `Protect            ${page.protect ?? '0'}`,
    `Type               MEM_${allocation.type.toUpperCase()}`,
    '',
    `In working set: ${yesNo(page.inWorkingSet)} · locked: ${yesNo(page.locked)} · guard: ${page.guard ? 'yes' : 'no'} · dirty: ${page.dirty === null ? 'not known' : page.dirty ? 'yes' : 'no'}`,
  ].join('\n');
}

function marks(page: PageCell): string {
  return [
    'pg',
    colourOf(page),
    page.inWorkingSet === true ? 'pg-ws' : page.inWorkingSet === null ? 'pg-ws-part' : '',
    page.locked ? 'pg-locked' : '',
    page.guard ? 'pg-guard' : '',
    page.dirty ? 'pg-dirty' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** One allocation: a row per 64 KiB granule, alike rows folded with their count. */
function AllocationGrid({
  allocation,
  onPick,
}: {
  allocation: SandboxAllocation;
  onPick: (address: string) => void;
}) {
  const runs = useMemo(() => runsOf(allocation), [allocation]);
  const rows = useMemo(() => gridRows(runs), [runs]);
  const base = BigInt(allocation.base);
  return (
    <section className="pg-allocation" data-base={allocation.base}>
      <h4>
        {allocation.base} · {formatSize(allocation.size)}
        {allocation.truncated && !allocation.runs
          ? ` (first ${allocation.pages.length} pages shown)`
          : ''}
      </h4>
      {rows.map((row) =>
        row.kind === 'fold' ? (
          <div className="pg-fold" key={row.first} data-testid="pg-fold" data-rows={row.rows}>
            <span className="pg-offset">+{hex(BigInt(row.first) * PAGE)}</span>
            <span className={marks(row.page)} aria-hidden="true" /> ⋮ {formatCount(row.rows)} more
            granule{row.rows === 1 ? '' : 's'} like the row above (
            {formatSize(BigInt(row.pages) * PAGE)})
          </div>
        ) : (
          <div className="pg-row" key={row.first}>
            <span className="pg-offset">+{hex(BigInt(row.first) * PAGE)}</span>
            <div className="pg-cells">
              {row.cells.map((page, i) => {
                const index = row.first + i;
                const address = hex(base + BigInt(index) * PAGE);
                return (
                  <button
                    type="button"
                    key={i}
                    className={marks(page)}
                    data-address={address}
                    data-state={page.state}
                    data-ws={String(page.inWorkingSet)}
                    title={describe(allocation, runs, index)}
                    aria-label={`page ${address}`}
                    onClick={() => onPick(address)}
                  />
                );
              })}
            </div>
          </div>
        ),
      )}
    </section>
  );
}

export function PageGrid({
  allocations,
  onPick,
}: {
  allocations: SandboxAllocation[];
  onPick: (address: string) => void;
}) {
  if (allocations.length === 0)
    return <p className="empty">No allocations yet: reserve some memory.</p>;
  return (
    <div className="page-grid" aria-label="Pages">
      {allocations.map((a) => (
        <AllocationGrid key={a.base} allocation={a} onPick={onPick} />
      ))}
      <p className="pg-legend">
        <span className="pg pg-reserved" /> reserved <span className="pg pg-rw" /> read-write{' '}
        <span className="pg pg-ro" /> read-only <span className="pg pg-wc" /> copy-on-write{' '}
        <span className="pg pg-x" /> execute <span className="pg pg-rwx" /> execute-read-write{' '}
        <span className="pg pg-noaccess" /> no access · <span className="pg pg-rw pg-ws" /> in
        working set <span className="pg pg-rw pg-ws-part" /> part of its run resident{' '}
        <span className="pg pg-rw pg-locked" /> locked <span className="pg pg-rw pg-guard" /> guard
        · one row: 16 pages, one 64 KiB allocation granule
      </p>
    </div>
  );
}
