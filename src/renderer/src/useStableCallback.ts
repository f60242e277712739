import { useCallback, useLayoutEffect, useRef } from 'react';

/**
 * A function whose identity never changes but that always calls the latest `fn`, so a memoized
 * child given it as a prop does not re-render because its parent did.
 */
export function useStableCallback<A extends unknown[], R>(
  fn: (...args: A) => R,
): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
