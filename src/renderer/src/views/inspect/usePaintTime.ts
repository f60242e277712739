import { type RefObject, useEffect, useRef } from 'react';
import { i18next } from '../../i18n';

/**
 * From asking for the snapshot to the first frame that shows it: the returned ref's element gets
 * the text, written to the DOM, not state, so measuring causes no render.
 */
export function usePaintTime(askedAt: number | undefined): RefObject<HTMLSpanElement | null> {
  const paintInfo = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (askedAt === undefined) return;
    const frame = requestAnimationFrame(() => {
      if (paintInfo.current)
        paintInfo.current.textContent = i18next.t('status.shown', {
          ms: (performance.now() - askedAt).toFixed(0),
        });
    });
    return () => cancelAnimationFrame(frame);
  }, [askedAt]);
  return paintInfo;
}
