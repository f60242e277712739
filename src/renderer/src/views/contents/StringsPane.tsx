import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import type { FoundString, StringEncoding } from '../../../../shared/memoryScan';
import { ScanStatus } from './ScanStatus';
import type { ContentsTarget } from './SearchPane';
import { useScan } from './useScan';

const stringsOf = (e: { strings: FoundString[] }): FoundString[] => e.strings;
const ENCODINGS: Record<string, StringEncoding[]> = {
  all: ['ascii', 'utf16le'],
  ascii: ['ascii'],
  utf16: ['utf16le'],
};

/** The printable strings in the process's committed memory (or one region). */
export function StringsPane({
  pid,
  source,
  file,
  onShowRegion,
  region,
}: ContentsTarget & { region: string | null }) {
  const [min, setMin] = useState(8);
  const [encoding, setEncoding] = useState('all');
  const [onlyRegion, setOnlyRegion] = useState(true);
  const [filter, setFilter] = useState('');
  const [state, start, cancel] = useScan('process.strings', stringsOf);
  const onSubmit = (e: React.FormEvent): void => {
    e.preventDefault();
    start({
      pid,
      source,
      file,
      min,
      encodings: ENCODINGS[encoding]!,
      ...(onlyRegion && region ? { regions: [region] } : {}),
    });
  };
  const { t } = useTranslation();
  const shown = filter ? state.results.filter((s) => s.text.includes(filter)) : state.results;
  return (
    <div className="contents-pane" aria-label={t('contents.tabs.Strings')}>
      <form onSubmit={onSubmit} className="scan-form">
        <label>
          {t('contents.strings.min')}{' '}
          <input
            type="number"
            aria-label={t('contents.strings.min')}
            min={2}
            max={1024}
            value={min}
            onChange={(e) => setMin(Math.max(2, Math.min(1024, Number(e.target.value) || 2)))}
          />
        </label>
        <select
          aria-label={t('contents.strings.encoding')}
          value={encoding}
          onChange={(e) => setEncoding(e.target.value)}
        >
          <option value="all">{t('contents.strings.all')}</option>
          <option value="ascii">ASCII</option>
          <option value="utf16">UTF-16LE</option>
        </select>
        <label>
          <input
            type="checkbox"
            checked={onlyRegion && region !== null}
            disabled={region === null}
            onChange={(e) => setOnlyRegion(e.target.checked)}
          />{' '}
          {t('contents.strings.onlyRegion')}
        </label>
        <button type="submit" disabled={state.running}>
          {t('contents.strings.find')}
        </button>
        <input
          aria-label={t('contents.strings.filter')}
          placeholder={t('contents.strings.filterPlaceholder')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </form>
      <ScanStatus state={state} onCancel={cancel} />
      <ul className="scan-results" aria-label={t('contents.strings.found')}>
        {shown.slice(0, 2000).map((s) => (
          <li key={`${s.address}:${s.encoding}`}>
            <button
              type="button"
              className="link"
              onClick={() => onShowRegion(s.regionBase, s.address)}
            >
              {s.address}
            </button>{' '}
            <span className="dim" translate="no">
              {s.encoding}
            </span>{' '}
            <code>{s.text}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
