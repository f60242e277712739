import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { UserConfig } from 'vite';

/** Renderer settings shared by electron-vite's build and the browser host's plain Vite build. */
export const rendererConfig = (outDir: string): UserConfig => ({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, outDir),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
  },
});
