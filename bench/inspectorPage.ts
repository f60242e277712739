/**
 * The inspector in real Chromium, for the benches that time it (inspector, scale, memory): the
 * browser, the paint time the page reports, the trace of where that time went (the marks of
 * src/renderer/src/paintTrace.ts) and the time a table change takes.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { statsOf } from './harness';

export const CHROMIUM = process.env['VMSCOPE_CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why Chromium cannot be used here, or null. */
export function chromiumMissing(): string | null {
  return execFileSync('sh', ['-c', `test -x ${CHROMIUM} && echo ok || true`])
    .toString()
    .trim() === 'ok'
    ? null
    : `no Chromium at ${CHROMIUM}`;
}

export async function firstLineOf(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for await (const line of createInterface({ input: child.stdout! })) {
    const match = pattern.exec(line);
    if (match) return match;
  }
  throw new Error(`process ${child.pid} ended before printing ${pattern}`);
}

/** The ms from asking for the snapshot to its first full frame, as the status line reports it. */
export async function paintOf(page: Page): Promise<number> {
  const text = await page
    .getByTestId('paint-ms')
    .filter({ hasText: 'shown' })
    .textContent({ timeout: 300_000 });
  return Number(/shown (\d+) ms/.exec(text ?? '')?.[1]);
}

/** The steps of the trace, in the order they happen. */
export const TRACE_STEPS = [
  'headers',
  'transfer',
  'decoded',
  'allocations',
  'map',
  'committed',
  'shown',
  'summary',
  'index',
] as const;
export type Trace = Partial<Record<(typeof TRACE_STEPS)[number], number>>;

/** Each step's ms after asking, once the page has built its search index (the trace's last step). */
export async function traceOf(page: Page): Promise<Trace> {
  await page.waitForFunction(() => performance.getEntriesByName('vmscope:index').length > 0, null, {
    timeout: 300_000,
  });
  return page.evaluate(() => {
    const asked = performance.getEntriesByName('vmscope:asked')[0]?.startTime ?? 0;
    const trace: Record<string, number> = {};
    for (const m of performance.getEntriesByType('mark'))
      if (m.name.startsWith('vmscope:') && !(m.name.slice(8) in trace))
        trace[m.name.slice(8)] = m.startTime - asked;
    return trace;
  });
}

/** The median trace of several runs, as lines to print: each step's time and what it added. */
export function describeTraces(traces: Trace[]): string[] {
  const lines: string[] = [];
  let before = 0;
  for (const step of TRACE_STEPS) {
    const values = traces.map((t) => t[step]).filter((v): v is number => v !== undefined);
    if (values.length === 0) continue;
    const at = statsOf(values).median;
    lines.push(
      `    ${step.padEnd(12)} ${at.toFixed(0).padStart(6)} ms  (+${(at - before).toFixed(0)})`,
    );
    before = at;
  }
  return lines;
}

/** ms from setting the search box (or clicking a header or a row) to the frame after the table changed. */
export async function timeTableChange(
  page: Page,
  action: { search?: string; header?: string; row?: number },
): Promise<number> {
  return page.evaluate(async (action) => {
    const target = document.querySelector('[data-testid="row-count"]')!.parentElement!
      .parentElement!;
    const changed = new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve();
      });
      observer.observe(target, { childList: true, subtree: true, characterData: true });
    });
    const start = performance.now();
    if (action.search !== undefined) {
      const input = document.querySelector(
        'input[aria-label="Search regions"]',
      ) as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(
        input,
        action.search,
      );
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else if (action.row !== undefined) {
      (document.querySelector(`.rt-row[data-row="${action.row}"]`) as HTMLElement).click();
    } else {
      const header = [...document.querySelectorAll('.rt-head button')].find((b) =>
        b.textContent?.startsWith(action.header!),
      );
      (header as HTMLButtonElement).click();
    }
    await changed;
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - start;
  }, action);
}
