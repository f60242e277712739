import { describe, expect, it } from 'vitest';
import { BlockLoader, KEPT_BLOCKS } from './blockLoader';
import type { Block } from './hexCache';

/** A loader whose reads wait until the test answers them, in the order they were asked. */
function controlled() {
  const asked: number[] = [];
  const pending: Array<{ block: number; resolve: (b: Block) => void }> = [];
  const loader = new BlockLoader(
    (block) =>
      new Promise<Block>((resolve) => {
        asked.push(block);
        pending.push({ block, resolve });
      }),
  );
  const told: Block[] = [];
  loader.listen((b) => told.push(b));
  /** Answers the oldest read (a block whose one byte is its number) and lets its continuation run. */
  const answer = async (): Promise<void> => {
    const read = pending.shift()!;
    read.resolve({
      status: 'ready',
      bytes: new Uint8Array([read.block]),
      mask: new Uint8Array(1),
      holes: [],
    });
    await Promise.resolve();
    await Promise.resolve();
  };
  return { loader, asked, pending, told, answer };
}

describe('the hex view reads its blocks one at a time, only those still wanted', () => {
  it('never has two reads in flight, and reads the blocks in the order wanted', async () => {
    const { loader, asked, pending, answer } = controlled();
    loader.want([3, 4, 5]);
    loader.want([3, 4, 5]);
    expect(asked).toEqual([3]);
    expect(pending).toHaveLength(1);
    await answer();
    expect(asked).toEqual([3, 4]);
    expect(loader.get(3)?.status).toBe('ready');
    await answer();
    await answer();
    expect(asked).toEqual([3, 4, 5]);
    loader.want([3, 4, 5]);
    expect(asked).toEqual([3, 4, 5]);
  });

  it('skips a block that scrolled past before its turn', async () => {
    const { loader, asked, answer, told } = controlled();
    loader.want([0, 1]);
    // Scrolled far while block 0 was being read: 1 is no longer wanted.
    loader.want([40, 41]);
    await answer();
    await answer();
    expect(asked).toEqual([0, 40, 41]);
    expect(told).toHaveLength(2);
    expect(loader.get(1)).toBeUndefined();
  });

  it('drops a read made before a clear, and reads the block again', async () => {
    const { loader, asked, answer, told } = controlled();
    loader.want([7]);
    loader.clear();
    loader.want([7]);
    // Still one read in flight: the old one must answer first.
    expect(asked).toEqual([7]);
    await answer();
    expect(told).toHaveLength(0);
    expect(loader.get(7)).toBeUndefined();
    expect(asked).toEqual([7, 7]);
    await answer();
    expect(loader.get(7)?.status).toBe('ready');
  });

  it('keeps at most KEPT_BLOCKS, dropping the oldest not wanted', async () => {
    const { loader, answer } = controlled();
    for (let b = 0; b <= KEPT_BLOCKS; b++) {
      loader.want([0, b]);
      await answer();
    }
    // Block 0 stayed wanted throughout: block 1 is the oldest of the others.
    expect(loader.get(0)).toBeDefined();
    expect(loader.get(1)).toBeUndefined();
    expect(loader.get(2)).toBeDefined();
    expect(loader.get(KEPT_BLOCKS)).toBeDefined();
  });
});
