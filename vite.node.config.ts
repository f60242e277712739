import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The CLI (which is also the browser host and, as a worker thread, the service) as one bundle. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: { cli: resolve(import.meta.dirname, 'src/cli/main.ts') },
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'koffi', 'ws', 'commander', 'zod'],
      output: { format: 'esm', entryFileNames: '[name].js', inlineDynamicImports: true },
    },
  },
});
