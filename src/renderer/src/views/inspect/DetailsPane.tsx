import { useTranslation } from 'react-i18next';
import { displayAddress, formatAddress, parseAddress } from '../../../../shared/address';
import type { Allocation } from '../../../../shared/allocations';
import { formatBytes, formatExactBytes } from '../../../../shared/format';
import type { AllocationRule, Region } from '../../../../shared/model';
import type { RegionsLike } from '../../../../shared/regionList';
import { REGION_MEASURES, WORKING_SET_MEASURES } from '../../../../shared/regionFields';
import { allocationRules } from '../../../../shared/allocationRules';
import { i18next } from '../../i18n';
import { regionDetailsText } from '../../i18n/engineText';
import { sourceWords } from './RegionTable';
import { columnLabel, kindLabel, stateLabel, typeLabel } from './kindColors';
import { PageStates, type PageStatesProps } from './PageStates';
import { HexView } from '../contents/HexView';
import { UnknownWorkingSet, type WorkingSetUnknown } from './workingSetUnknown';

function Field({
  label,
  children,
  name = false,
}: {
  label: string;
  children: React.ReactNode;
  /** The label is the source's own field name, not prose. */
  name?: boolean;
}) {
  return (
    <>
      <dt translate={name ? 'no' : undefined}>{label}</dt>
      {/* A source's own field's value is data too. */}
      <dd translate={name ? 'no' : undefined}>{children}</dd>
    </>
  );
}

const bytes = (n: number) => <span title={formatExactBytes(n)}>{formatBytes(n)}</span>;

/** The region's own measures (Size, Committed), from the field catalog. */
const REGION_OWN_MEASURES = REGION_MEASURES.filter((m) => !m.workingSet);

/** The working-set measures on one line: "4 KiB total · 4 KiB private · …", from the field catalog. */
function WorkingSetLine({
  region,
  wsUnknown,
}: {
  region: Region;
  wsUnknown: WorkingSetUnknown | null;
}) {
  if (wsUnknown) return <UnknownWorkingSet unknown={wsUnknown} />;
  return WORKING_SET_MEASURES.map((m, i) => (
    <span key={m.key}>
      {i > 0 && ' · '}
      {bytes(m.value(region))} {i18next.t(`details.ws.${m.workingSetKey}`)}
    </span>
  ));
}

/** Extras' numbers that are not byte counts: a file offset in hex (as in /proc/PID/maps), flags, ids. */
const NOT_BYTES: Record<string, (n: number) => React.ReactNode> = {
  offset: (n) => `0x${n.toString(16)}`,
  inode: String,
  thpEligible: (n) => i18next.t(n ? 'common.yes' : 'common.no'),
  protectionKey: String,
};

/** Source-specific extras (Linux smaps fields, Windows facts), one per line, each in its own format. */
function Extras({ title, data }: { title: string; data: Record<string, unknown> }) {
  return (
    <>
      <h4>{title}</h4>
      <dl>
        {Object.entries(data).map(([key, value]) => (
          <Field key={key} label={key} name>
            {Array.isArray(value)
              ? value.join(' ')
              : typeof value === 'number'
                ? (NOT_BYTES[key] ?? bytes)(value)
                : String(value)}
          </Field>
        ))}
      </dl>
    </>
  );
}

/** How an inferred allocation was grouped: Linux has no allocation base, so vmscope guessed. */
function InferredBy({ rules }: { rules: readonly AllocationRule[] }) {
  const { t } = useTranslation();
  if (rules.length === 0) return null;
  return (
    <Field label={t('details.groupedBy')}>
      <span data-testid="inferred-by">
        {t('details.inference')}{' '}
        {rules.map((rule, i) => (
          <span key={rule}>
            {i > 0 && '; '}
            <code>{rule}</code>, {t(`details.rules.${rule}`)}
          </span>
        ))}
        .
      </span>
    </Field>
  );
}

export interface DetailsPaneProps {
  region: Region | null;
  allocation: Allocation | null;
  /** The snapshot's regions (the allocation's rules are read from them). */
  regions: RegionsLike;
  /** Where the region's pages can be read now: a live process (not a snapshot file). */
  live: Omit<PageStatesProps, 'region'> | null;
  /** The snapshot's working set is unknown (a dump): say so, not 0 B. */
  wsUnknown?: WorkingSetUnknown | null;
}

export function DetailsPane({
  region,
  allocation,
  regions,
  live,
  wsUnknown = null,
}: DetailsPaneProps) {
  const { t } = useTranslation();
  if (!region) return <aside className="details empty-details">{t('details.empty')}</aside>;
  const end = formatAddress(parseAddress(region.base) + BigInt(region.size));
  return (
    // A tab stop: the pane scrolls, and the keyboard must be able to scroll it.
    <aside className="details" aria-label={t('details.label')} tabIndex={0}>
      <h3>
        {kindLabel(region.kind)} <span className="dim">{displayAddress(region.base)}</span>
      </h3>
      {live && region.state === 'committed' && <PageStates {...live} region={region} />}
      {live && region.state === 'committed' && (
        <HexView {...live} base={parseAddress(region.base)} size={region.size} compact />
      )}
      <dl>
        <Field label={t('details.range')}>
          {displayAddress(region.base)} – {displayAddress(end)}
        </Field>
        <Field label={columnLabel('state')}>{stateLabel(region.state)}</Field>
        <Field label={t('details.type')}>{region.type ? typeLabel(region.type) : '—'}</Field>
        <Field label={columnLabel('protect')}>{region.protect ?? t('details.noneReported')}</Field>
        <Field label={t('details.allocationProtect')}>{region.allocationProtect ?? '—'}</Field>
        {REGION_OWN_MEASURES.map((m) => (
          <Field key={m.key} label={columnLabel(m.key)}>
            {bytes(m.value(region))}
          </Field>
        ))}
        <Field label={t('details.workingSet')}>
          <WorkingSetLine region={region} wsUnknown={wsUnknown} />
        </Field>
        {region.path && (
          <Field label={t('details.file')}>
            <span translate="no">{region.path}</span>
          </Field>
        )}
        {region.details && (
          <Field label={columnLabel('details')}>
            <span {...sourceWords({ ...region, path: null })}>
              {regionDetailsText(region.details).text}
            </span>
          </Field>
        )}
        {region.threadId !== undefined && (
          <Field label={t('details.thread')}>{region.threadId}</Field>
        )}
      </dl>
      {allocation && allocation.count > 1 && (
        <>
          <h4>{t('details.allocation')}</h4>
          <dl>
            <Field label={t('details.base')}>{displayAddress(allocation.base)}</Field>
            <Field label={columnLabel('size')}>{bytes(allocation.size)}</Field>
            <Field label={t('details.regions')}>{allocation.count}</Field>
            <Field label={columnLabel('committed')}>{bytes(allocation.committed)}</Field>
            <Field label={t('details.workingSet')}>
              {wsUnknown ? <UnknownWorkingSet unknown={wsUnknown} /> : bytes(allocation.wsTotal)}
            </Field>
            <InferredBy rules={allocationRules(regions, allocation.first, allocation.count)} />
          </dl>
        </>
      )}
      {region.linux && <Extras title="Linux (smaps)" data={region.linux} />}
      {region.windows && <Extras title="Windows" data={region.windows} />}
    </aside>
  );
}
