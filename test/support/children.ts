import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** Spawned children that a test must not leave behind. */
const running = new Set<ChildProcess>();

export function spawnChild(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

/** Resolves with the first stdout line of a child (helpers report their addresses this way). */
export async function firstLine(child: ChildProcess): Promise<string> {
  let buffer = '';
  for await (const chunk of child.stdout!) {
    buffer += String(chunk);
    const newline = buffer.indexOf('\n');
    if (newline >= 0) return buffer.slice(0, newline);
  }
  throw new Error(`child ${child.pid} closed stdout without a line`);
}

/** Reads a child's stdout line by line without closing it between reads (firstLine closes it). */
export function lineReader(child: ChildProcess): () => Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const queued: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queued.push(line);
  });
  return () =>
    new Promise((resolve) =>
      queued.length > 0 ? resolve(queued.shift()!) : waiting.push(resolve),
    );
}
