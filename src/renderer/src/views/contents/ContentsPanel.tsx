import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseAddress } from '../../../../shared/address';
import type { Region, SourceId } from '../../../../shared/model';
import { regionAtAddress } from '../../../../shared/regionAtAddress';
import type { RegionsLike } from '../../../../shared/regionList';
import { HexView } from './HexView';
import { SearchPane } from './SearchPane';
import { StatsPane } from './StatsPane';
import { StringsPane } from './StringsPane';
import type { StatsScan } from './useStatsScan';

const TABS = ['Hex', 'Strings', 'Search', 'Statistics'] as const;
type Tab = (typeof TABS)[number];

export interface ContentsPanelProps {
  pid: number;
  source?: SourceId;
  /** An opened dump file (its `files.opened` index): its captured bytes, not a live process's. */
  file?: number;
  regions: RegionsLike;
  /** The region selected in the table or the map. */
  region: Region | null;
  /** Select a region (by index) in the table and the map. */
  onSelectRegion: (index: number) => void;
  /** The content statistics scan, shared with the summary pane. */
  stats: StatsScan;
}

/** What a live process's (or an opened dump's) memory holds: hex view, strings, search and content statistics. */
export function ContentsPanel({
  pid,
  source,
  file,
  regions,
  region,
  onSelectRegion,
  stats,
}: ContentsPanelProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('Hex');
  const [open, setOpen] = useState(true);
  const [showAddress, setShowAddress] = useState<bigint | null>(null);
  const onShowRegion = (regionBase: string, address: string): void => {
    const index = regionAtAddress(regions, parseAddress(regionBase));
    if (index >= 0 && regions.at(index)!.base === regionBase) onSelectRegion(index);
    setShowAddress(parseAddress(address));
    setTab('Hex');
    setOpen(true);
  };
  const target = { pid, source, file, onShowRegion };
  return (
    <section className="contents-panel" aria-label={t('contents.label')} data-open={open}>
      <div className="contents-tabs">
        <button
          type="button"
          aria-expanded={open}
          title={open ? t('contents.hide') : t('contents.show')}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▸'} {t('contents.title')}
        </button>
        {/* The fold button sits beside the tabs, not in the tab list (a tab list holds only tabs). */}
        <div role="tablist" aria-label={t('contents.views')} className="contents-tablist">
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              onClick={() => {
                setTab(name);
                setOpen(true);
              }}
            >
              {t(`contents.tabs.${name}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="contents-body">
        {tab === 'Hex' &&
          (region && region.state === 'committed' ? (
            <HexView
              pid={pid}
              source={source}
              file={file}
              base={parseAddress(region.base)}
              size={region.size}
              showAddress={showAddress}
            />
          ) : (
            <p className="dim">{t('contents.selectCommitted')}</p>
          ))}
        {/* Kept mounted while another tab shows, so a running scan goes on. */}
        <div hidden={tab !== 'Strings'}>
          <StringsPane {...target} region={region?.base ?? null} />
        </div>
        <div hidden={tab !== 'Search'}>
          <SearchPane {...target} />
        </div>
        <div hidden={tab !== 'Statistics'}>
          <StatsPane {...target} region={region?.base ?? null} scan={stats} />
        </div>
      </div>
    </section>
  );
}
