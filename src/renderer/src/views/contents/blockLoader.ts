/**
 * Which blocks of a hex view are read, and when: the view says which blocks it wants now (those
 * on screen, then a block of read-ahead), and the loader reads the first one it does not have,
 * one request at a time. A block that scrolled past before its turn is never read, so scrolling
 * fast over a large region asks for what stops on screen, not for everything it passed.
 */
import type { Block } from './hexCache';

/** Blocks kept (64 KiB each: 16 MiB); beyond that the oldest not wanted now is dropped. */
export const KEPT_BLOCKS = 256;

export class BlockLoader {
  private readonly blocks = new Map<number, Block>();
  private wanted: readonly number[] = [];
  private busy = false;
  /** Bumped by clear(): a read started before it is dropped when it answers. */
  private generation = 0;
  private readonly listeners = new Set<(value: Block) => void>();

  constructor(
    /** Reads one block (never rejects: a failed read is an error block). */
    private readonly read: (block: number) => Promise<Block>,
  ) {}

  /** Tells `listener` of each block read from now on; returns how to stop. */
  listen(listener: (value: Block) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(block: number): Block | undefined {
    return this.blocks.get(block);
  }

  /** The blocks wanted now, most wanted first; reads the first one missing if nothing is being read. */
  want(blocks: readonly number[]): void {
    this.wanted = blocks;
    this.pump();
  }

  /** Forgets every block read (read again); a read under way is dropped when it answers. */
  clear(): void {
    this.blocks.clear();
    this.generation++;
  }

  private pump(): void {
    if (this.busy) return;
    const next = this.wanted.find((b) => !this.blocks.has(b));
    if (next === undefined) return;
    this.busy = true;
    const generation = this.generation;
    void this.read(next).then((value) => {
      this.busy = false;
      if (generation === this.generation) {
        this.keep(next, value);
        for (const listener of this.listeners) listener(value);
      }
      this.pump();
    });
  }

  private keep(block: number, value: Block): void {
    this.blocks.set(block, value);
    if (this.blocks.size <= KEPT_BLOCKS) return;
    // A Map iterates in insertion order: the first one not wanted is the oldest.
    for (const old of this.blocks.keys())
      if (!this.wanted.includes(old)) {
        this.blocks.delete(old);
        return;
      }
  }
}
