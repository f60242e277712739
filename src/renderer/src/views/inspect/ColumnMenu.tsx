import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { columnLabel } from './kindColors';
import type { ColumnLayoutState } from './useColumnLayout';

/**
 * The region table's column chooser (VMMap's "Columns…"): show or hide each column and move it
 * earlier or later, by mouse or keyboard; Reset brings back the defaults. Kept per source.
 */
export function ColumnMenu({ layout }: { layout: ColumnLayoutState }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDetailsElement>(null);
  // A click elsewhere or Escape closes it, as a menu does.
  useEffect(() => {
    const close = (e: Event): void => {
      const menu = ref.current;
      if (!menu?.open) return;
      if (e instanceof KeyboardEvent) {
        if (e.key !== 'Escape') return;
        menu.open = false;
        menu.querySelector('summary')?.focus();
      } else if (!menu.contains(e.target as Node)) menu.open = false;
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  const { all } = layout;
  return (
    <details className="column-menu" ref={ref}>
      <summary>{t('regions.columns')}</summary>
      <div className="column-menu-panel" role="group" aria-label={t('regions.columnsLabel')}>
        <ul>
          {all.map((c, i) => (
            <li key={c.key}>
              <label>
                <input
                  type="checkbox"
                  checked={layout.isShown(c.key)}
                  onChange={() => layout.toggle(c.key)}
                />{' '}
                {columnLabel(c.key)}
              </label>
              <button
                type="button"
                aria-label={t('regions.moveEarlier', { column: columnLabel(c.key) })}
                disabled={i === 0}
                onClick={() => layout.move(c.key, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={t('regions.moveLater', { column: columnLabel(c.key) })}
                disabled={i === all.length - 1}
                onClick={() => layout.move(c.key, 1)}
              >
                ↓
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={layout.reset}>
          {t('regions.resetColumns')}
        </button>
      </div>
    </details>
  );
}
