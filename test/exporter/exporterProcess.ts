import type { ChildProcess } from 'node:child_process';
import { CLI, assertBuilt } from '../support/cli';
import { firstLine, spawnChild } from '../support/children';

export interface StartedExporter {
  child: ChildProcess;
  url: string;
}

/** Starts the built `vmscope exporter` on a free loopback port and waits for its address. */
export async function startExporter(args: string[]): Promise<StartedExporter> {
  assertBuilt();
  const child = spawnChild(process.execPath, [CLI, 'exporter', '--listen', '127.0.0.1:0', ...args]);
  const line = await firstLine(child);
  const url = /serving at (http:\S+)/.exec(line)?.[1];
  if (!url) throw new Error(`the exporter did not start: ${line}`);
  return { child, url };
}

export async function scrape(
  url: string,
  accept?: string,
): Promise<{ type: string; body: string }> {
  const res = await fetch(url, accept ? { headers: { accept } } : {});
  if (res.status !== 200) throw new Error(`scrape answered ${res.status}`);
  return { type: res.headers.get('content-type') ?? '', body: await res.text() };
}

/** The value of one series in the text format, or null when the scrape does not have it. */
export function seriesValue(
  body: string,
  name: string,
  labels: Record<string, string>,
): number | null {
  for (const line of body.split('\n')) {
    if (Object.keys(labels).length === 0 && line.startsWith(`${name} `))
      return Number(line.slice(name.length + 1));
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

/** Polls a real condition until it holds or the deadline passes (no fixed sleeps). */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  deadlineMs = 20_000,
): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown = null;
  while (Date.now() < end) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
