import { describe, expect, it } from 'vitest';
import { cloneGraph } from './cloneGraph';

class Page {
  dirty = false;
  constructor(readonly id: number) {}
  get label(): string {
    return `page ${this.id}`;
  }
}

describe('cloneGraph', () => {
  it('copies class instances, shared references, cycles, maps, sets and typed arrays, sharing nothing', () => {
    const page = new Page(7);
    const machine = {
      lists: new Set([page]),
      owner: null as unknown,
      bits: new Uint8Array([1, 2, 3]),
      big: 5n,
    };
    const process = { machine, entries: new Map([[7, { page }]]), pages: [page] };
    machine.owner = process;

    const copy = cloneGraph(process);
    const copiedPage = copy.pages[0]!;
    expect(copiedPage).toBeInstanceOf(Page);
    expect(copiedPage).not.toBe(page);
    expect(copiedPage.label).toBe('page 7');
    // One page, reached three ways, is still one page in the copy.
    expect(copy.entries.get(7)!.page).toBe(copiedPage);
    expect([...copy.machine.lists][0]).toBe(copiedPage);
    expect(copy.machine.owner).toBe(copy);
    expect(copy.machine.big).toBe(5n);

    copiedPage.dirty = true;
    copy.machine.bits[0] = 9;
    copy.entries.delete(7);
    expect(page.dirty).toBe(false);
    expect(machine.bits[0]).toBe(1);
    expect(process.entries.size).toBe(1);
  });
});
