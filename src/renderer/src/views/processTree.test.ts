import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../../shared/model';
import { processTree } from './processTree';

const proc = (pid: number, parentPid: number | null, name = `p${pid}`): ProcessInfo =>
  ({
    pid,
    parentPid,
    name,
    path: null,
    user: null,
    workingSetSize: null,
    privateBytes: null,
    startTime: null,
    commandLine: null,
    kernelThread: false,
  }) as ProcessInfo;
const byPid = (a: ProcessInfo, b: ProcessInfo) => a.pid - b.pid;
const shape = (rows: ReturnType<typeof processTree>) =>
  rows.map((r) => `${'.'.repeat(r.depth)}${r.process.pid}`);

describe('processTree', () => {
  const list = [proc(5, 1), proc(1, null), proc(7, 5), proc(3, 1), proc(9, 42), proc(2, null)];
  it('puts children under their parents, siblings in the given order, orphans at the root', () => {
    expect(shape(processTree(list, byPid, null))).toEqual(['1', '.3', '.5', '..7', '2', '9']);
  });
  it('keeps a match with its ancestors', () => {
    expect(shape(processTree(list, byPid, (p) => p.pid === 7))).toEqual(['1', '.5', '..7']);
  });
  it('survives a process that names itself as its parent', () => {
    expect(shape(processTree([proc(4, 4)], byPid, null))).toEqual(['4']);
  });
});
