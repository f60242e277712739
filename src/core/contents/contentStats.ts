import { createHash } from 'node:crypto';
import type { ContentStats } from '../../shared/memoryScan';
import type { ScanStep } from './chunkScan';

const PAGE = 4096;
const ZERO_KEY = 'zero';

/**
 * Accumulates one region's content statistics chunk by chunk: whole readable pages count toward
 * zero pages and distinct pages (by SHA-1 of the page), every readable byte toward the entropy.
 * Chunks are page aligned (regions start on pages and chunks are whole pages).
 */
export class ContentStatsBuilder {
  private readonly histogram = new Float64Array(256);
  private readonly hashes = new Set<string>();
  private pages = 0;
  private zeroPages = 0;
  private holeBytes = 0;

  constructor(
    private readonly regionBase: string,
    private readonly size: number,
  ) {}

  add(step: ScanStep): void {
    const { bytes, holes } = step.chunk;
    for (const hole of holes) this.holeBytes += Math.min(hole.size, step.advance - hole.offset);
    let h = 0;
    for (let page = 0; page < step.advance; page += PAGE) {
      const end = Math.min(page + PAGE, step.advance);
      while (h < holes.length && holes[h]!.offset + holes[h]!.size <= page) h++;
      const hole = holes[h];
      if (hole && hole.offset < end) {
        // A partly readable page: its readable bytes still count toward the entropy.
        if (hole.offset > page) this.count(bytes, page, hole.offset);
        if (hole.offset + hole.size < end) this.count(bytes, hole.offset + hole.size, end);
        continue;
      }
      this.pages++;
      const view = bytes.subarray(page, end);
      if (isZero(view)) {
        this.zeroPages++;
        this.histogram[0]! += view.length;
        this.hashes.add(ZERO_KEY);
      } else {
        this.count(bytes, page, end);
        this.hashes.add(createHash('sha1').update(view).digest('base64'));
      }
    }
  }

  private count(bytes: Uint8Array, from: number, to: number): void {
    const histogram = this.histogram;
    for (let i = from; i < to; i++) histogram[bytes[i]!]!++;
  }

  result(): ContentStats {
    let total = 0;
    for (const n of this.histogram) total += n;
    let entropy = 0;
    for (const n of this.histogram) if (n > 0) entropy -= (n / total) * Math.log2(n / total);
    return {
      regionBase: this.regionBase,
      size: this.size,
      pages: this.pages,
      zeroPages: this.zeroPages,
      distinctPages: this.hashes.size,
      entropy: total > 0 ? Math.abs(entropy) : 0,
      holeBytes: this.holeBytes,
    };
  }
}

function isZero(view: Uint8Array): boolean {
  if (view.byteOffset % 4 === 0 && view.length % 4 === 0) {
    const words = new Uint32Array(view.buffer, view.byteOffset, view.length / 4);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
  for (const b of view) if (b !== 0) return false;
  return true;
}
