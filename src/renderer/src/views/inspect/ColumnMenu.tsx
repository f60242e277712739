import { useEffect, useRef } from 'react';
import type { ColumnLayoutState } from './useColumnLayout';

/**
 * The region table's column chooser (VMMap's "Columns…"): show or hide each column and move it
 * earlier or later, by mouse or keyboard; Reset brings back the defaults. Kept per source.
 */
export function ColumnMenu({ layout }: { layout: ColumnLayoutState }) {
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
      <summary>Columns</summary>
      <div className="column-menu-panel" role="group" aria-label="Region table columns">
        <ul>
          {all.map((c, i) => (
            <li key={c.key}>
              <label>
                <input
                  type="checkbox"
                  checked={layout.isShown(c.key)}
                  onChange={() => layout.toggle(c.key)}
                />{' '}
                {c.label}
              </label>
              <button
                type="button"
                aria-label={`Move ${c.label} earlier`}
                disabled={i === 0}
                onClick={() => layout.move(c.key, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${c.label} later`}
                disabled={i === all.length - 1}
                onClick={() => layout.move(c.key, 1)}
              >
                ↓
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={layout.reset}>
          Reset columns
        </button>
      </div>
    </details>
  );
}
