import { type RefObject, useEffect, useRef } from 'react';
import { traceMark } from '../../paintTrace';
import { i18next } from '../../i18n';

/**
 * From asking for the snapshot to the first frame that shows it (its first part, when it is
 * streamed), and to the frame that shows it whole: the returned ref's element gets the text,
 * written to the DOM, not state, so measuring causes no render.
 */
export function usePaintTime(
  askedAt: number | undefined,
  partial = false,
): RefObject<HTMLSpanElement | null> {
  const paintInfo = useRef<HTMLSpanElement>(null);
  /** The ask whose first frame showed only a part. */
  const partialOf = useRef<number | undefined>(undefined);
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
  useEffect(() => {
    if (askedAt === undefined) return;
    if (partial) return void (partialOf.current = askedAt);
    const frame = requestAnimationFrame(() => {
      traceMark('complete');
      if (paintInfo.current && partialOf.current === askedAt)
        paintInfo.current.textContent += i18next.t('status.whole', {
          ms: (performance.now() - askedAt).toFixed(0),
        });
    });
    return () => cancelAnimationFrame(frame);
  }, [askedAt, partial]);
  return paintInfo;
}
