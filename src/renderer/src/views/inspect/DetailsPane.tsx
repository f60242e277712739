import { displayAddress, formatAddress, parseAddress } from '../../../../shared/address';
import type { Allocation } from '../../../../shared/allocations';
import { formatBytes, formatExactBytes } from '../../../../shared/format';
import type { Region } from '../../../../shared/model';
import type { RegionsLike } from '../../../../shared/regionList';
import { REGION_MEASURES, WORKING_SET_MEASURES } from '../../../../shared/regionFields';
import { ALLOCATION_RULE_TEXT, allocationRules } from '../../../../shared/allocationRules';
import { KIND_LABELS } from './kindColors';
import { PageStates, type PageStatesProps } from './PageStates';
import { HexView } from '../contents/HexView';
import { UnknownWorkingSet, type WorkingSetUnknown } from './workingSetUnknown';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
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
      {bytes(m.value(region))} {m.workingSetKey}
    </span>
  ));
}

/** Extras' numbers that are not byte counts: a file offset in hex (as in /proc/PID/maps), flags, ids. */
const NOT_BYTES: Record<string, (n: number) => React.ReactNode> = {
  offset: (n) => `0x${n.toString(16)}`,
  inode: String,
  thpEligible: (n) => (n ? 'yes' : 'no'),
  protectionKey: String,
};

/** Source-specific extras (Linux smaps fields, Windows facts), one per line, each in its own format. */
function Extras({ title, data }: { title: string; data: Record<string, unknown> }) {
  return (
    <>
      <h4>{title}</h4>
      <dl>
        {Object.entries(data).map(([key, value]) => (
          <Field key={key} label={key}>
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
function InferredBy({ rules }: { rules: readonly (keyof typeof ALLOCATION_RULE_TEXT)[] }) {
  if (rules.length === 0) return null;
  return (
    <Field label="Grouped by">
      <span data-testid="inferred-by">
        vmscope&apos;s inference, not the system (Linux keeps no allocation base):{' '}
        {rules.map((rule, i) => (
          <span key={rule}>
            {i > 0 && '; '}
            <code>{rule}</code>, {ALLOCATION_RULE_TEXT[rule]}
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
  if (!region)
    return <aside className="details empty-details">Select a region to see its details.</aside>;
  const end = formatAddress(parseAddress(region.base) + BigInt(region.size));
  return (
    // A tab stop: the pane scrolls, and the keyboard must be able to scroll it.
    <aside className="details" aria-label="Region details" tabIndex={0}>
      <h3>
        {KIND_LABELS[region.kind]} <span className="dim">{displayAddress(region.base)}</span>
      </h3>
      {live && region.state === 'committed' && <PageStates {...live} region={region} />}
      {live && region.state === 'committed' && (
        <HexView {...live} base={parseAddress(region.base)} size={region.size} compact />
      )}
      <dl>
        <Field label="Range">
          {displayAddress(region.base)} – {displayAddress(end)}
        </Field>
        <Field label="State">{region.state}</Field>
        <Field label="Type">{region.type ?? '—'}</Field>
        <Field label="Protection">{region.protect ?? '— (none reported)'}</Field>
        <Field label="Allocation protection">{region.allocationProtect ?? '—'}</Field>
        {REGION_OWN_MEASURES.map((m) => (
          <Field key={m.key} label={m.label}>
            {bytes(m.value(region))}
          </Field>
        ))}
        <Field label="Working set">
          <WorkingSetLine region={region} wsUnknown={wsUnknown} />
        </Field>
        {region.path && <Field label="File">{region.path}</Field>}
        {region.details && <Field label="Details">{region.details}</Field>}
        {region.threadId !== undefined && <Field label="Thread">{region.threadId}</Field>}
      </dl>
      {allocation && allocation.count > 1 && (
        <>
          <h4>Allocation</h4>
          <dl>
            <Field label="Base">{displayAddress(allocation.base)}</Field>
            <Field label="Size">{bytes(allocation.size)}</Field>
            <Field label="Regions">{allocation.count}</Field>
            <Field label="Committed">{bytes(allocation.committed)}</Field>
            <Field label="Working set">
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
