import { useState } from 'react';
import { type SearchKind, type SearchMatch, patternBytes } from '../../../../shared/memoryScan';
import type { SourceId } from '../../../../shared/model';
import { ScanStatus } from './ScanStatus';
import { useScan } from './useScan';

const matchesOf = (e: { matches: SearchMatch[] }): SearchMatch[] => e.matches;

export interface ContentsTarget {
  pid: number;
  source?: SourceId;
  /** An opened dump file (its `files.opened` index): read its captured bytes, not a live process. */
  file?: number;
  /** Show a region (by base) in the table and the map. */
  onShowRegion: (regionBase: string, address: string) => void;
}

/** Search the process's committed memory for text, UTF-16 text or bytes. */
export function SearchPane({ pid, source, file, onShowRegion }: ContentsTarget) {
  const [kind, setKind] = useState<SearchKind>('text');
  const [pattern, setPattern] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [state, start, cancel] = useScan('process.search', matchesOf);
  const onSubmit = (e: React.FormEvent): void => {
    e.preventDefault();
    const checked = patternBytes(kind, pattern);
    setInvalid(checked.ok ? null : checked.message);
    if (checked.ok) start({ pid, source, file, kind, pattern });
  };
  return (
    <div className="contents-pane" aria-label="Search memory">
      <form onSubmit={onSubmit} className="scan-form">
        <select
          aria-label="Search for"
          value={kind}
          onChange={(e) => setKind(e.target.value as SearchKind)}
        >
          <option value="text">Text</option>
          <option value="utf16">UTF-16 text</option>
          <option value="hex">Hex bytes</option>
        </select>
        <input
          aria-label="Pattern"
          placeholder={kind === 'hex' ? 'de ad be ef' : 'text to find'}
          value={pattern}
          onChange={(e) => setPattern(e.target.value)}
        />
        <button type="submit" disabled={state.running || pattern === ''}>
          Search
        </button>
        {invalid && <span role="alert">{invalid}</span>}
      </form>
      <ScanStatus state={state} onCancel={cancel} />
      <ul className="scan-results" aria-label="Matches">
        {state.results.map((m) => (
          <li key={m.address}>
            <button
              type="button"
              className="link"
              onClick={() => onShowRegion(m.regionBase, m.address)}
            >
              {m.address}
            </button>{' '}
            <span className="dim">in region {m.regionBase}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
