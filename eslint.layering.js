/**
 * The import direction, enforced (VS Code's code-layering rule is the model):
 *   shared   imports nothing of ours but shared, and no Node or DOM-only module;
 *   core     never imports electron, React, the renderer, the faces;
 *   renderer never imports core, host, main, cli, or any Node module;
 *   main / preload / host / cli may import core and shared, never the renderer.
 */
import { builtinModules } from 'node:module';

const node = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodePatterns = node.map((m) => ({ group: [m, `${m}/*`], message: 'Node modules are not allowed in this layer.' }));
const ours = (layers, why) => layers.map((l) => ({ group: [`**/${l}/**`, `**/${l}`], message: why }));

const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const ui = [
  { group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'recharts'], message: 'UI libraries belong to the renderer.' },
];
const electron = [{ group: ['electron', 'electron/*'], message: 'Only src/main and src/preload may import electron.' }];

export const layeringRules = [
  restrict(['src/shared/**/*.{ts,tsx}'], [
    ...nodePatterns,
    ...electron,
    ...ui,
    ...ours(['core', 'renderer', 'main', 'preload', 'host', 'cli'], 'shared imports only shared.'),
  ]),
  restrict(['src/core/**/*.{ts,tsx}'], [
    ...electron,
    ...ui,
    ...ours(['renderer', 'main', 'preload', 'host', 'cli'], 'core is the engine: it never imports a face.'),
  ]),
  restrict(['src/renderer/**/*.{ts,tsx}'], [
    ...nodePatterns,
    ...electron,
    ...ours(['core', 'host', 'main', 'preload', 'cli'], 'The renderer talks only to window.vmscope (src/shared/bridge.ts).'),
  ]),
  restrict(['src/host/**/*.{ts,tsx}', 'src/cli/**/*.{ts,tsx}'], [
    ...electron,
    ...ui,
    ...ours(['renderer', 'main', 'preload'], 'The host and CLI do not import another face.'),
  ]),
  restrict(['src/main/**/*.{ts,tsx}', 'src/preload/**/*.{ts,tsx}'], [
    ...ui,
    ...ours(['renderer', 'host', 'cli'], 'The Electron shell does not import another face.'),
  ]),
];
