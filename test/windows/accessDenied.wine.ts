/**
 * access-denied for real: a process whose DACL refuses us, set through SetSecurityInfo. Wine's
 * server checks a process's security descriptor in OpenProcess as Windows does, so the refusal
 * is the same ERROR_ACCESS_DENIED Windows gives for another user's or a protected process.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { VmscopeError } from '../../src/shared/errors';
import {
  createWindowsSource,
  type WindowsSource,
} from '../../src/core/sources/windows/windowsSource';
import { PROCESS_QUERY_LIMITED_INFORMATION } from '../../src/core/win32/constants';
import { restrictProcess, startIdleProcess, testProcessApi } from './testProcess';

const api = testProcessApi();
let source: WindowsSource;

function isAccessDenied(pid: number, what: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof VmscopeError, `not a VmscopeError: ${String(err)}`);
    assert.equal(err.code, 'access-denied');
    assert.match(err.message, new RegExp(`process ${pid}`));
    assert.match(err.message, what);
    assert.match(err.message, /elevated/, 'the advice: run elevated');
    return true;
  };
}

before(() => {
  source = createWindowsSource();
});

describe('a process whose DACL allows nothing', () => {
  let child: ChildProcess;
  before(async () => {
    child = await startIdleProcess();
    restrictProcess(api, child.pid as number, 0);
  });
  after(() => {
    child.kill();
  });

  test('is refused by OpenProcess with ERROR_ACCESS_DENIED: snapshot and counters give access-denied', async () => {
    const pid = child.pid as number;
    const handle = api.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
    assert.equal(handle, null, 'even limited rights are refused');
    await assert.rejects(source.snapshot(pid), isAccessDenied(pid, /Not allowed to open/));
    await assert.rejects(source.counters(pid), isAccessDenied(pid, /Not allowed to open/));
  });

  test('still appears in the process list, with toolhelp’s name and parent and no sizes', async () => {
    const entry = (await source.listProcesses()).find((p) => p.pid === child.pid);
    assert.ok(entry, 'listed');
    assert.match(entry.name, /^node\.exe$/i);
    assert.equal(entry.parentPid, process.pid);
    assert.equal(entry.workingSetSize, null);
    assert.equal(entry.path, null);
  });
});

describe('a process that allows only PROCESS_QUERY_LIMITED_INFORMATION', () => {
  let child: ChildProcess;
  before(async () => {
    child = await startIdleProcess();
    restrictProcess(api, child.pid as number, PROCESS_QUERY_LIMITED_INFORMATION);
  });
  after(() => {
    child.kill();
  });

  test('gives its counters and list entry, and access-denied for a snapshot', async (t) => {
    const pid = child.pid as number;
    await assert.rejects(source.snapshot(pid), isAccessDenied(pid, /read the memory of/));
    const counters = await source.counters(pid);
    t.diagnostic(`counters through limited rights: ${JSON.stringify(counters)}`);
    assert.ok(counters.workingSetSize > 0, 'GetProcessMemoryInfo works with limited rights');
    const entry = (await source.listProcesses()).find((p) => p.pid === pid);
    assert.ok(entry, 'listed');
    assert.match(
      entry.path ?? '',
      /node\.exe$/i,
      'QueryFullProcessImageNameW works with limited rights',
    );
    assert.ok((entry.workingSetSize ?? 0) > 0);
    assert.equal(entry.commandLine, null, 'the PEB may not be read');
  });
});
