import type { PageCell, SandboxAllocation } from '../../../../shared/sandboxSession';

const PAGE = 4096n;
const PAGES_PER_GRANULE = 16;

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

const same = (a: PageCell, b: PageCell): boolean => a.state === b.state && a.protect === b.protect;

const yesNo = (v: boolean | null, partly = 'some pages of the run'): string =>
  v === null ? partly : v ? 'yes' : 'no';

/** VirtualQuery's answer for the page, as the tooltip shows it, plus the page's own bits. */
function describe(allocation: SandboxAllocation, index: number): string {
  const pages = allocation.pages;
  const page = pages[index]!;
  let end = index + 1;
  while (end < pages.length && same(pages[end]!, page)) end++;
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
        <section key={a.base} className="pg-allocation" data-base={a.base}>
          <h4>
            {a.base} · {(a.size / 1024).toLocaleString()} KiB
            {a.label ? ` · ${a.label}` : ''}
            {a.truncated ? ` (first ${a.pages.length} pages shown)` : ''}
          </h4>
          <div className="pg-cells">
            {a.pages.map((page, i) => {
              const address = hex(BigInt(a.base) + BigInt(i) * PAGE);
              const marks = [
                colourOf(page),
                i % PAGES_PER_GRANULE === 0 ? 'pg-granule' : '',
                page.inWorkingSet === true
                  ? 'pg-ws'
                  : page.inWorkingSet === null
                    ? 'pg-ws-part'
                    : '',
                page.locked ? 'pg-locked' : '',
                page.guard ? 'pg-guard' : '',
                page.dirty ? 'pg-dirty' : '',
              ];
              return (
                <button
                  type="button"
                  key={i}
                  className={`pg ${marks.filter(Boolean).join(' ')}`}
                  data-address={address}
                  data-state={page.state}
                  data-ws={String(page.inWorkingSet)}
                  title={describe(a, i)}
                  aria-label={`page ${address}`}
                  onClick={() => onPick(address)}
                />
              );
            })}
          </div>
        </section>
      ))}
      <p className="pg-legend">
        <span className="pg pg-reserved" /> reserved <span className="pg pg-rw" /> read-write{' '}
        <span className="pg pg-ro" /> read-only <span className="pg pg-wc" /> copy-on-write{' '}
        <span className="pg pg-x" /> execute <span className="pg pg-rwx" /> execute-read-write{' '}
        <span className="pg pg-noaccess" /> no access · <span className="pg pg-rw pg-ws" /> in
        working set <span className="pg pg-rw pg-ws-part" /> part of its run resident{' '}
        <span className="pg pg-rw pg-locked" /> locked <span className="pg pg-rw pg-guard" /> guard
        · thick left edge: 64 KiB granule
      </p>
    </div>
  );
}
