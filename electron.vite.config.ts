import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { windowCspMeta } from './src/main/windowOptions';
import { rendererConfig } from './vite.renderer.shared';

/**
 * The window's CSP as a <meta> tag in the built index.html, so it holds even where no response
 * header is applied. Build only: the dev server's React refresh preamble is an inline script.
 */
const cspMeta = (): Plugin => ({
  name: 'vmscope-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: windowCspMeta() },
      injectTo: 'head-prepend',
    },
  ],
});

const renderer = rendererConfig('out/renderer');

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          serviceWorker: resolve(import.meta.dirname, 'src/main/serviceWorker.ts'),
          // The live sandbox's child process (forked with ELECTRON_RUN_AS_NODE).
          sandboxChild: resolve(import.meta.dirname, 'src/main/sandboxChild.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // A sandboxed preload cannot load ES modules or other files: one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
  },
  renderer: { ...renderer, plugins: [...(renderer.plugins ?? []), cspMeta()] },
});
