/**
 * Frame intervals in a page, and how many of them dropped a frame: the scrolling benches' measure.
 * Headless Chromium here paces even an idle page's frames a little over 16.7 ms at the 95th
 * percentile, so a p95 goal of one 60 Hz frame cannot be met by any page; a frame skipped (an
 * interval over one and a half frames) is what a user sees as a stutter.
 */
import type { Page } from 'playwright-core';

/** One frame at 60 Hz, in ms. */
export const FRAME_MS = 1000 / 60;

/** Share (%) of intervals long enough that a frame was skipped (half a frame of jitter allowed). */
export const droppedPercent = (times: readonly number[]): number =>
  (100 * times.filter((t) => t > 1.5 * FRAME_MS).length) / times.length;

/**
 * Intervals (ms) between `frames` animation frames; where `scroll`, the element at `selector` is
 * scrolled 330 px (18 table rows) before each, as fast as a flung wheel.
 */
export function frameTimes(
  page: Page,
  selector: string,
  frames: number,
  scroll: boolean,
): Promise<number[]> {
  return page.evaluate(
    async ({ selector, frames, scroll }) => {
      const view = document.querySelector(selector) as HTMLElement;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < frames; i++) {
        if (scroll) view.scrollTop += 330;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    },
    { selector, frames, scroll },
  );
}
