import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileHelper } from '../helpers/compile';
import { firstLine, spawnChild } from '../support/children';

/** What test/helpers/regions.c reports on its first line. */
export interface RegionsReport {
  pageSize: number;
  reserve: string;
  reserveSize: number;
  rw: string;
  rwSize: number;
  file: string;
  fileSize: number;
  elf: string;
  shared: string;
  sharedSize: number;
  sharedTouched: number;
  locked: string;
  lockedOk: boolean;
  threads: { tid: number; stackLow: string; stackSize: number }[];
}

export interface RegionsProcess {
  child: ChildProcess;
  pid: number;
  report: RegionsReport;
  dataFile: string;
  elfFile: string;
}

/** Starts the regions helper on a fresh 5-page data file and waits for its report. */
export async function startRegionsHelper(): Promise<RegionsProcess> {
  const dataFile = join(tmpdir(), `vmscope-regions-${process.pid}-${Date.now()}.bin`);
  writeFileSync(dataFile, Buffer.alloc(5 * 4096, 7));
  const elfFile = compileHelper('zombie');
  const child = spawnChild(compileHelper('regions'), [dataFile, elfFile]);
  const report = JSON.parse(await firstLine(child)) as RegionsReport;
  return { child, pid: child.pid!, report, dataFile, elfFile };
}
