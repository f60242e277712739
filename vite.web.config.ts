import { defineConfig } from 'vite';
import { rendererConfig } from './vite.renderer.shared';

/** electron-vite has no web-only build: the same renderer, built for the browser host. */
export default defineConfig(rendererConfig('out/web'));
