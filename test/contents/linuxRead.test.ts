import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { parseAddress } from '../../src/shared/address';
import { stopAllChildren } from '../support/children';
import { startRegionsHelper } from '../linux/regionsHelper';
import {
  ASCII_MARKER,
  PATTERN_HEX,
  WIDE_MARKER,
  type ContentsProcess,
  startContentsHelper,
} from './contentsHelper';

const source = createLinuxSource();
const NOBODY = 65534;
const asNobody = ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups'];
let helper: ContentsProcess;

beforeAll(async () => {
  helper = await startContentsHelper();
});
afterAll(stopAllChildren);

const text = (bytes: Uint8Array, from: number, length: number): string =>
  Buffer.from(bytes.subarray(from, from + length)).toString('latin1');

describe.runIf(process.platform === 'linux')('Linux readMemory', () => {
  it('reads the markers and the pattern the helper wrote, and zeros where it wrote nothing', async () => {
    const page = helper.report.pageSize;
    const chunk = await source.readMemory!(helper.pid, parseAddress(helper.report.rw), 16 * page);
    expect(chunk.address).toBe(helper.report.rw);
    expect(chunk.holes).toEqual([]);
    expect(text(chunk.bytes, 0x100, ASCII_MARKER.length)).toBe(ASCII_MARKER);
    expect(
      Buffer.from(chunk.bytes.subarray(page + 0x40, page + 0x40 + 2 * WIDE_MARKER.length)).toString(
        'utf16le',
      ),
    ).toBe(WIDE_MARKER);
    expect(
      Buffer.from(chunk.bytes.subarray(2 * page + 0x10, 2 * page + 0x20)).toString('hex'),
    ).toBe(PATTERN_HEX.replaceAll(' ', ''));
    expect(chunk.bytes.subarray(3 * page, 8 * page).every((b) => b === 0)).toBe(true);
    expect(chunk.bytes.subarray(8 * page, 10 * page).every((b) => b === 0x41)).toBe(true);
  });

  it('returns unmapped and PROT_NONE pages as holes with their reason, not as zeros', async () => {
    const page = helper.report.pageSize;
    const gap = await source.readMemory!(helper.pid, parseAddress(helper.report.gap), 3 * page);
    expect(gap.holes).toEqual([{ offset: page, size: page, reason: 'free' }]);
    expect(gap.bytes[0]).toBe(0x5a);
    expect(gap.bytes[2 * page]).toBe(0x5a);
    const none = await source.readMemory!(helper.pid, parseAddress(helper.report.none), 2 * page);
    expect(none.holes).toHaveLength(1);
    expect(none.holes[0]).toMatchObject({ offset: 0, size: 2 * page });
    expect(['no-access', 'guard']).toContain(none.holes[0]!.reason);
  });

  it('reads across a mapping boundary with an unaligned start', async () => {
    const page = helper.report.pageSize;
    const start = parseAddress(helper.report.gap) + BigInt(page) - 3n;
    const chunk = await source.readMemory!(helper.pid, start, page + 6);
    expect(Array.from(chunk.bytes.subarray(0, 3))).toEqual([0x5a, 0x5a, 0x5a]);
    expect(chunk.holes).toEqual([{ offset: 3, size: page, reason: 'free' }]);
    expect(Array.from(chunk.bytes.subarray(page + 3))).toEqual([0x5a, 0x5a, 0x5a]);
  });

  it('says a vanished process has exited', async () => {
    await expect(source.readMemory!(2 ** 31 - 2, 0x1000n, 16)).rejects.toMatchObject({
      code: 'process-exited',
    });
  });
});

describe.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
  'Linux readMemory as another user',
  () => {
    it('refuses a process of another user with access-denied that names the owner and what to do', async () => {
      const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
      const output = execFileSync(
        'setpriv',
        [
          ...asNobody,
          tsx,
          join(import.meta.dirname, 'readAsUser.ts'),
          String(helper.pid),
          helper.report.rw,
        ],
        { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } },
      );
      const error = JSON.parse(output.trim().split('\n').pop()!) as {
        code: string;
        message: string;
      };
      expect(error.code).toBe('access-denied');
      expect(error.message).toMatch(/belongs to root/);
      expect(error.message).toMatch(/CAP_SYS_PTRACE/);
    });
  },
);

describe.runIf(process.platform === 'linux')(
  'Linux readMemory leaves the working set alone',
  () => {
    let regions: Awaited<ReturnType<typeof startRegionsHelper>>;
    beforeAll(async () => {
      regions = await startRegionsHelper();
    });

    /** Rss of the mapping at `start`, in bytes, from the process's smaps. */
    const rssAt = (start: string): number => {
      const text = readFileSync(`/proc/${regions.pid}/smaps`, 'utf8');
      const at = text.indexOf(`${BigInt(start).toString(16)}-`);
      return Number(/Rss:\s+(\d+) kB/.exec(text.slice(at))![1]) * 1024;
    };

    it('reads untouched shared pages as not-resident holes instead of faulting them in', async () => {
      const { shared, sharedSize, sharedTouched } = regions.report;
      expect(rssAt(shared)).toBe(sharedTouched);
      const chunk = await createLinuxSource().readMemory!(regions.pid, BigInt(shared), sharedSize);
      expect(chunk.holes).toEqual([
        { offset: sharedTouched, size: sharedSize - sharedTouched, reason: 'not-resident' },
      ]);
      expect(rssAt(shared)).toBe(sharedTouched);
    });
  },
);
