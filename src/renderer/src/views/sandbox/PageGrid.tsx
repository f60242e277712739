import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSize } from '../../../../shared/format';
import type { PageCell, PageRun, SandboxAllocation } from '../../../../shared/sandboxSession';
import { allocationLabelText } from '../../i18n/engineText';
import { useFormat } from '../../i18n/format';
import { type ChangedPages, overlaps } from './changes';
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

/** VirtualQuery's answer for the page, as the tooltip shows it, plus the page's own bits. */
function describe(
  t: TFunction,
  allocation: SandboxAllocation,
  runs: readonly PageRun[],
  index: number,
): string {
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
  const yesNo = (v: boolean | null, unknown = t('grid.partly')): string =>
    v === null ? unknown : v ? t('grid.yes') : t('grid.no');
  return [
    'MEMORY_BASIC_INFORMATION',
    `BaseAddress        ${hex(base + BigInt(index) * PAGE)}`,
    `AllocationBase     ${allocation.base}`,
    `RegionSize         ${hex(BigInt(end - index) * PAGE)}`,
    `State              ${page.state === 'committed' ? 'MEM_COMMIT' : 'MEM_RESERVE'}`,
    `Protect            ${page.protect ?? '0'}`,
    `Type               MEM_${allocation.type.toUpperCase()}`,
    '',
    `${t('grid.tipWorkingSet')}: ${yesNo(page.inWorkingSet)} · ${t('grid.tipLocked')}: ${yesNo(page.locked)} · ${t('grid.tipGuard')}: ${yesNo(page.guard)} · ${t('grid.tipDirty')}: ${yesNo(page.dirty, t('grid.unknown'))}`,
  ].join('\n');
}

function marks(page: PageCell, changed = false): string {
  return [
    'pg',
    colourOf(page),
    page.inWorkingSet === true ? 'pg-ws' : page.inWorkingSet === null ? 'pg-ws-part' : '',
    page.locked ? 'pg-locked' : '',
    page.guard ? 'pg-guard' : '',
    page.dirty ? 'pg-dirty' : '',
    changed ? 'pg-changed' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** The legend: a swatch's classes and its label's key. */
const LEGEND: [string, string][] = [
  ['pg-reserved', 'reserved'],
  ['pg-rw', 'readWrite'],
  ['pg-ro', 'readOnly'],
  ['pg-wc', 'copyOnWrite'],
  ['pg-x', 'execute'],
  ['pg-rwx', 'executeReadWrite'],
  ['pg-noaccess', 'noAccess'],
  ['pg-rw pg-ws', 'inWorkingSet'],
  ['pg-rw pg-ws-part', 'partResident'],
  ['pg-rw pg-locked', 'locked'],
  ['pg-rw pg-guard', 'guard'],
  ['pg-rw pg-changed', 'changed'],
];

/** One allocation: a row per 64 KiB granule, alike rows folded with their count. */
/** The engine's name for an allocation: in the UI's language, or a name (a file, PEB) as it is. */
function AllocationLabel({ label }: { label: string }) {
  useTranslation();
  const shown = allocationLabelText(label);
  return shown.translated ? (
    <span>{shown.text}</span>
  ) : (
    <span lang="en" translate="no">
      {shown.text}
    </span>
  );
}

function AllocationGrid({
  allocation,
  changed,
  onPick,
}: {
  allocation: SandboxAllocation;
  changed: readonly [number, number][] | undefined;
  onPick: (address: string) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const runs = useMemo(() => runsOf(allocation), [allocation]);
  const rows = useMemo(() => gridRows(runs), [runs]);
  const base = BigInt(allocation.base);
  return (
    <section className="pg-allocation" data-base={allocation.base}>
      <h4>
        <code>{allocation.base}</code> · {formatSize(allocation.size)}
        {/* What process start made it for (in the UI's language), or the file it maps (a name). */}
        {allocation.label && (
          <>
            {' · '}
            <AllocationLabel label={allocation.label} />
          </>
        )}
        {allocation.truncated && !allocation.runs
          ? ` ${t('grid.firstPages', { count: allocation.pages.length })}`
          : ''}
      </h4>
      {rows.map((row) =>
        row.kind === 'fold' ? (
          <div
            className={`pg-fold${overlaps(changed, row.first, row.first + row.pages) ? ' changed' : ''}`}
            key={row.first}
            data-testid="pg-fold"
            data-rows={row.rows}
            data-state={row.page.state}
            data-ws={String(row.page.inWorkingSet)}
          >
            <code className="pg-offset">+{hex(BigInt(row.first) * PAGE)}</code>
            <span className={marks(row.page)} aria-hidden="true" />{' '}
            {t('grid.fold', {
              count: row.rows,
              formatted: fmt.number(row.rows),
              size: formatSize(BigInt(row.pages) * PAGE),
            })}
          </div>
        ) : (
          <div className="pg-row" key={row.first}>
            <code className="pg-offset">+{hex(BigInt(row.first) * PAGE)}</code>
            <div className="pg-cells">
              {row.cells.map((page, i) => {
                const index = row.first + i;
                const address = hex(base + BigInt(index) * PAGE);
                return (
                  <button
                    type="button"
                    key={i}
                    className={marks(page, overlaps(changed, index, index + 1))}
                    data-address={address}
                    data-state={page.state}
                    data-ws={String(page.inWorkingSet)}
                    title={describe(t, allocation, runs, index)}
                    aria-label={t('grid.page', { address })}
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
  changed,
  onPick,
}: {
  allocations: SandboxAllocation[];
  /** Pages the last step changed, outlined. */
  changed?: ChangedPages;
  onPick: (address: string) => void;
}) {
  const { t } = useTranslation();
  if (allocations.length === 0) return <p className="empty">{t('grid.empty')}</p>;
  return (
    <div className="page-grid" aria-label={t('grid.label')}>
      {allocations.map((a) => (
        <AllocationGrid
          key={a.base}
          allocation={a}
          changed={changed?.get(a.base)}
          onPick={onPick}
        />
      ))}
      <p className="pg-legend">
        {LEGEND.map(([marks, key]) => (
          <span key={key} className="pg-key">
            <span className={`pg ${marks}`} /> {t(`grid.${key}`)}
          </span>
        ))}
        <span className="pg-key">{t('grid.row')}</span>
      </p>
    </div>
  );
}
