/** Wall-clock milliseconds derived from the monotonic clock, so samples never go backwards. */
export function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}
