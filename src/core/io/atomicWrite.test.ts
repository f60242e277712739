import {
  type FileHandle,
  mkdir,
  mkdtemp,
  open,
  readFile,
  readdir,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomicWrite';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmscope-atomic-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces an existing file with the whole new content and leaves no temporary file', async () => {
    const target = join(dir, 'out.csv');
    await writeFile(target, 'old');
    await writeFileAtomic(target, 'new content');
    expect(await readFile(target, 'utf8')).toBe('new content');
    expect(await readdir(dir)).toEqual(['out.csv']);
  });

  it('writes chunks in order, each before the next is made, so they may share one buffer', async () => {
    const target = join(dir, 'out.json');
    const buffer = new Uint8Array(3);
    function* chunks(): Generator<Uint8Array> {
      for (const text of ['abc', 'def', 'gh']) {
        buffer.set(new TextEncoder().encode(text));
        yield buffer.subarray(0, text.length);
      }
    }
    await writeFileAtomic(target, chunks());
    expect(await readFile(target, 'utf8')).toBe('abcdefgh');
    expect(await readdir(dir)).toEqual(['out.json']);
  });

  it('finishes a chunk the file took only part of', async () => {
    // write(2) may take fewer bytes than asked; make every write take at most two.
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    type BytesWrite = (
      this: FileHandle,
      buffer: Uint8Array,
      offset?: number,
      length?: number,
    ) => ReturnType<FileHandle['write']>;
    const write = proto.write as unknown as BytesWrite;
    const twoAtMost: BytesWrite = function (buffer, offset = 0, length) {
      return write.call(this, buffer, offset, Math.min(2, length ?? buffer.length - offset));
    };
    const short = vi
      .spyOn(proto, 'write')
      .mockImplementation(twoAtMost as unknown as FileHandle['write']);
    try {
      const target = join(dir, 'out.json');
      await writeFileAtomic(target, [
        new TextEncoder().encode('abcde'),
        new TextEncoder().encode('fgh'),
      ]);
      expect(await readFile(target, 'utf8')).toBe('abcdefgh');
      expect(short.mock.calls.length).toBeGreaterThanOrEqual(5);
    } finally {
      short.mockRestore();
    }
  });

  it('fails without touching anything when the directory does not exist', async () => {
    const target = join(dir, 'missing', 'out.csv');
    await expect(writeFileAtomic(target, 'x')).rejects.toMatchObject({
      code: 'not-found',
      message: `Cannot write ${target}: its folder does not exist.`,
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('cleans up its temporary file when the rename fails (target is a directory)', async () => {
    const target = join(dir, 'taken');
    await writeFile(join(dir, 'keep'), 'k');
    await mkdir(join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toBeInstanceOf(Error);
    expect((await readdir(dir)).sort()).toEqual(['keep', 'taken']);
  });
});
