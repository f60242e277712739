/**
 * The import direction, enforced (VS Code's code-layering rule is the model):
 *   shared   imports nothing of ours but shared, and no Node or DOM-only module;
 *   core     never imports electron, React, the renderer, the faces;
 *   renderer never imports core, host, main, cli, or any Node module;
 *   main / preload / host / cli may import core and shared, never the renderer.
 * Inside the core: win32 imports none of sim, sources, sandbox, sampler; sim imports none of
 * sources, sandbox, sampler; the sampler knows sources only by their interface; and no import
 * circle anywhere in the core (import-x/no-cycle, in eslint.config.js).
 */
import { builtinModules } from 'node:module';

const node = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodePatterns = node.map((m) => ({
  group: [m, `${m}/*`],
  message: 'Node modules are not allowed in this layer.',
}));
const ours = (layers, why) =>
  layers.map((l) => ({ group: [`**/${l}/**`, `**/${l}`], message: why }));

const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const ui = [
  {
    group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'recharts'],
    message: 'UI libraries belong to the renderer.',
  },
];
const electron = [
  {
    group: ['electron', 'electron/*'],
    message: 'Only src/main and src/preload may import electron.',
  },
];
const core = [
  ...electron,
  ...ui,
  ...ours(
    ['renderer', 'main', 'preload', 'host', 'cli'],
    'core is the engine: it never imports a face.',
  ),
];

export const layeringRules = [
  restrict(
    ['src/shared/**/*.{ts,tsx}'],
    [
      ...nodePatterns,
      ...electron,
      ...ui,
      ...ours(
        ['core', 'renderer', 'main', 'preload', 'host', 'cli'],
        'shared imports only shared.',
      ),
    ],
  ),
  restrict(['src/core/**/*.{ts,tsx}'], core),
  // Inside the core, from the bottom up: win32 (the Windows model) <- sim <- sources <- sampler,
  // sandbox <- service. A later block replaces the core's patterns for its files, so each repeats them.
  restrict(
    ['src/core/win32/**/*.{ts,tsx}'],
    [
      ...core,
      ...ours(
        ['sim', 'sources', 'sandbox', 'sampler'],
        'win32 is the Windows model everyone builds on: it imports only shared.',
      ),
    ],
  ),
  restrict(
    ['src/core/sim/**/*.{ts,tsx}'],
    [
      ...core,
      ...ours(
        ['sources', 'sandbox', 'sampler'],
        'The simulator is a model: sources and the sandbox use it, never the other way.',
      ),
    ],
  ),
  restrict(
    ['src/core/sampler/**/*.{ts,tsx}'],
    [
      ...core,
      {
        group: ['**/sources/linux/**', '**/sources/windows/**', '**/sources/simulated/**'],
        message:
          "The sampler reads counters through a Source (sources/source.ts), never a source's own files.",
      },
    ],
  ),
  restrict(
    ['src/renderer/**/*.{ts,tsx}'],
    [
      ...nodePatterns,
      ...electron,
      ...ours(
        ['core', 'host', 'main', 'preload', 'cli'],
        'The renderer talks only to window.vmscope (src/shared/bridge.ts).',
      ),
    ],
  ),
  restrict(
    ['src/host/**/*.{ts,tsx}', 'src/cli/**/*.{ts,tsx}'],
    [
      ...electron,
      ...ui,
      ...ours(['renderer', 'main', 'preload'], 'The host and CLI do not import another face.'),
    ],
  ),
  restrict(
    ['src/main/**/*.{ts,tsx}', 'src/preload/**/*.{ts,tsx}'],
    [
      ...ui,
      ...ours(['renderer', 'host', 'cli'], 'The Electron shell does not import another face.'),
    ],
  ),
];
