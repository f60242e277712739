import { createRequire } from 'node:module';
import type KoffiDefault from 'koffi';

/** koffi's module, as `import koffi from 'koffi'` would give it. */
export type KoffiModule = typeof KoffiDefault;

let loaded: KoffiModule | null = null;

/**
 * koffi, required on first use: every CLI command imports the modules that use it, and loading its
 * native prebuild at start would cost each of them (and fail all of them where it cannot load).
 * createRequire also keeps it out of the bundles, which load it from node_modules.
 */
export function koffi(): KoffiModule {
  loaded ??= createRequire(import.meta.url)('koffi') as KoffiModule;
  return loaded;
}
