import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The CLI (which is also the browser host and, as a worker thread, the service): an entry,
 * out/node/cli.js, and the chunks its dynamic imports load. Its packages are bundled too:
 * resolving and loading commander, zod and ws from node_modules cost about 70 ms of every
 * command's start. The entry holds only commander and the commands' declarations; the service,
 * zod and ws are chunks a command loads on first use, so `vmscope --version` stays near Node's
 * own start (bench/cliStart.bench.ts). koffi stays outside: it loads a native prebuild; and
 * prom-client, which only the exporter loads (a dynamic import, so no other command pays for it).
 */
export default defineConfig({
  ssr: { noExternal: true },
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: { cli: resolve(import.meta.dirname, 'src/cli/main.ts') },
      external: [
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
        'koffi',
        'prom-client',
        'bufferutil',
        'utf-8-validate',
      ],
      output: {
        format: 'esm',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
});
