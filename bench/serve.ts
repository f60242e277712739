/**
 * `vmscope serve` for a bench, with a library of its own: the pages a bench opens save snapshots
 * (the inspector keeps what it takes), and those belong in a folder the bench removes, not in
 * the library of whoever runs it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLineOf } from './inspectorPage';

export interface BenchServer {
  /** The tokenized URL the server printed. */
  url: string;
  /** Stops the server and removes its library. */
  close(): Promise<void>;
}

export async function startServe(cli = 'bin/vmscope.mjs'): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vmscope-bench-'));
  const child = spawn(process.execPath, [cli, 'serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, VMSCOPE_DATA_DIR: dataDir },
  });
  const exited = once(child, 'exit');
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const [url] = await firstLineOf(child, /http:\/\/\S+/);
    return { url, close };
  } catch (err) {
    await close();
    throw err;
  }
}
