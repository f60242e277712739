import { VmscopeError } from '../../shared/errors';
import type { SourceId } from '../../shared/model';
import { nativePlatform } from '../platform';
import type { MachineCapability, Source } from './source';

/**
 * The sources this machine can use, in order of preference for the default: its own, then the
 * simulator. Each loads its modules on first use, so a command that reads a Linux process never
 * loads the simulator.
 */
const factories = new Map<SourceId, () => Promise<Source>>([
  ...(nativePlatform ? [[nativePlatform.sourceId, nativePlatform.createSource] as const] : []),
  ['simulated', async () => (await import('./simulated/simulatedSource')).createSimulatedSource()],
]);

export class SourceRegistry {
  private readonly cache = new Map<SourceId, Promise<Source>>();

  available(): SourceId[] {
    return [...factories.keys()];
  }

  defaultSource(): SourceId {
    const [first] = this.available();
    if (!first)
      throw new VmscopeError(
        'source-unavailable',
        `No memory source works on ${process.platform}.`,
      );
    return first;
  }

  /**
   * The source `id` names (the default one without it), created on first use. An id this machine
   * has no source for fails at once, before anything loads.
   */
  get(id: SourceId | undefined): Promise<Source> {
    const wanted = id ?? this.defaultSource();
    const cached = this.cache.get(wanted);
    if (cached) return cached;
    const factory = factories.get(wanted);
    if (!factory) {
      throw new VmscopeError(
        'source-unavailable',
        `The ${wanted} source is not available on this machine; available: ${this.available().join(', ') || 'none'}.`,
      );
    }
    const source = factory();
    this.cache.set(wanted, source);
    // A load that failed is tried again by the next call, not remembered.
    source.catch(() => this.cache.delete(wanted));
    return source;
  }

  /** The machine of the first source that has one to show (the simulator's). */
  async machine(): Promise<MachineCapability> {
    for (const id of this.available()) {
      const machine = (await this.get(id)).machine;
      if (machine) return machine;
    }
    throw new VmscopeError(
      'source-unavailable',
      'No source here has a whole machine to show; the simulated source has one.',
    );
  }
}
