import { type RefObject, useEffect, useRef } from 'react';
import { traceMark } from '../../paintTrace';
import { i18next } from '../../i18n';

/**
 * From asking for the snapshot to the first frame that shows it: the returned ref's element gets
 * the text, written to the DOM, not state, so measuring causes no render.
 */
export function usePaintTime(askedAt: number | undefined): RefObject<HTMLSpanElement | null> {
  const paintInfo = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (askedAt === undefined) return;
    traceMark('committed');
    const frame = requestAnimationFrame(() => {
      traceMark('shown');
      if (paintInfo.current)
        paintInfo.current.textContent = i18next.t('status.shown', {
          ms: (performance.now() - askedAt).toFixed(0),
        });
    });
    return () => cancelAnimationFrame(frame);
  }, [askedAt]);
  return paintInfo;
}
