import { randomBytes } from 'node:crypto';
import type { Snapshot } from '../shared/model';

/**
 * The last few snapshots the service streamed to a page (process.snapshotStream), by an id the
 * last event carries, so the page can ask the service to keep one in the library
 * (library.keepTaken) instead of writing its JSON itself. Bounded: the oldest is let go.
 */
export class TakenSnapshots {
  private readonly held = new Map<string, Snapshot>();

  constructor(private readonly capacity = 3) {}

  hold(snapshot: Snapshot): string {
    const id = randomBytes(8).toString('hex');
    this.held.set(id, snapshot);
    for (const oldest of this.held.keys()) {
      if (this.held.size <= this.capacity) break;
      this.held.delete(oldest);
    }
    return id;
  }

  get(id: string): Snapshot | undefined {
    return this.held.get(id);
  }
}
