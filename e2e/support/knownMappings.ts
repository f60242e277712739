import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** What test/helpers/regions.c maps and reports on its first stdout line. */
export interface KnownMappings {
  pageSize: number;
  reserve: string;
  reserveSize: number;
  rw: string;
  rwSize: number;
  file: string;
  fileSize: number;
  shared: string;
  sharedSize: number;
  locked: string;
  lockedOk: boolean;
  threads: { tid: number; stackLow: string; stackSize: number }[];
}

const dir = resolve('test-results/helpers');

/** Compiles the helper once per run (cc is installed by scripts/setup-system.sh). */
function helperBinary(): string {
  const source = resolve('test/helpers/regions.c');
  const binary = resolve(dir, 'regions');
  if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(dir, { recursive: true });
    execFileSync('cc', ['-O1', '-pthread', '-o', binary, source]);
  }
  return binary;
}

/** Starts the helper with a 40 KiB file to map; resolves once it has printed its addresses. */
export async function startKnownMappings(): Promise<{ child: ChildProcess; maps: KnownMappings; mappedFile: string }> {
  const mappedFile = resolve(dir, 'mapped-40k.bin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(mappedFile, Buffer.alloc(40 * 1024, 7));
  const child = spawn(helperBinary(), [mappedFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  for await (const chunk of child.stdout!) {
    buffer += String(chunk);
    if (buffer.includes('\n')) break;
  }
  return { child, maps: JSON.parse(buffer.split('\n')[0]!) as KnownMappings, mappedFile };
}
