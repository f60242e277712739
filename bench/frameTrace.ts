/**
 * Where a page's main-thread time goes while it runs something: a Chromium trace (the DevTools
 * timeline's categories) summed by kind of work (script, style, layout, paint, garbage
 * collection), each event counted for its own CPU time only (its children's time goes to them).
 * VMSCOPE_BENCH_TRACE=FILE also writes the trace there.
 */
import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink.user_timing',
];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event: unlike dur, not the time the thread waited for a core. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** The kind of work a timeline event is, as DevTools' summary groups it. */
function kindOf(name: string): string {
  if (/GC|Heap|Scavenge|MarkCompact|Sweep/i.test(name)) return 'garbage collection';
  if (/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet)$/.test(name)) return 'style';
  if (/^(Layout|UpdateLayout|IntersectionObserverController)/.test(name)) return 'layout';
  if (/Paint|Layerize|Composit|Commit|RasterTask|UpdateLayer|Draw|PrePaint/.test(name))
    return 'paint and compositing';
  if (/^(RunTask|ThreadControllerImpl|SequenceManager|ScheduledAction)/.test(name)) return 'other';
  if (
    /Parse(HTML|Script)|Compile|Evaluate|Function|Microtask|Timer|Event|Animation|V8|v8/.test(name)
  )
    return 'script';
  return 'other';
}

/** Self time (ms) by kind and by event name, on the renderer's main thread, over a trace. */
function selfTimes(events: TraceEvent[]): {
  kinds: Map<string, number>;
  names: Map<string, number>;
} {
  const main = events.find((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain');
  const kinds = new Map<string, number>();
  const names = new Map<string, number>();
  if (!main) return { kinds, names };
  const complete = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // A stack of open events: each event's time less the time of the events nested in it. The time
  // is CPU time (tdur) where the trace has it: on a busy machine wall time is mostly waiting.
  const stack: { end: number; name: string; self: number }[] = [];
  const close = (upTo: number): void => {
    while (stack.length > 0 && stack.at(-1)!.end <= upTo) {
      const done = stack.pop()!;
      names.set(done.name, (names.get(done.name) ?? 0) + done.self / 1000);
      const kind = kindOf(done.name);
      kinds.set(kind, (kinds.get(kind) ?? 0) + done.self / 1000);
    }
  };
  for (const e of complete) {
    close(e.ts);
    const parent = stack.at(-1);
    const cpu = e.tdur ?? e.dur!;
    if (parent) parent.self -= cpu;
    stack.push({ end: e.ts + e.dur!, name: e.name, self: cpu });
  }
  close(Infinity);
  return { kinds, names };
}

/**
 * Runs `work` under a trace and returns lines that say where the main thread's time went, per
 * frame of `frames`: by kind, then the largest event names.
 */
export async function traceFrames(
  browser: Browser,
  page: Page,
  frames: number,
  work: () => Promise<unknown>,
): Promise<string[]> {
  await browser.startTracing(page, { categories: CATEGORIES });
  await work();
  const buffer = await browser.stopTracing();
  // The whole trace, to open in DevTools' Performance panel, when asked for.
  const keep = process.env['VMSCOPE_BENCH_TRACE'];
  if (keep) writeFileSync(keep, buffer);
  const parsed = JSON.parse(buffer.toString('utf8')) as
    { traceEvents: TraceEvent[] } | TraceEvent[];
  const { kinds, names } = selfTimes(Array.isArray(parsed) ? parsed : parsed.traceEvents);
  const perFrame = (ms: number): string => (ms / frames).toFixed(2).padStart(6);
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  const total = [...kinds.values()].reduce((a, b) => a + b, 0);
  return [
    `  main thread under a trace: ${perFrame(total)} ms of CPU a frame, by kind:`,
    ...sorted(kinds).map(([kind, ms]) => `    ${perFrame(ms)} ms  ${kind}`),
    '  largest events (own CPU time, ms a frame):',
    ...sorted(names)
      .slice(0, 10)
      .map(([name, ms]) => `    ${perFrame(ms)} ms  ${name}`),
  ];
}
