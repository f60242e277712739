import { afterEach, describe, expect, it, vi } from 'vitest';
import { rendererUrl } from './rendererUrl';

describe('where the window loads the renderer from', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is app:// in a packaged app, whatever ELECTRON_RENDERER_URL says', () => {
    expect(rendererUrl('http://localhost:5173/', true)).toBe('app://vmscope/index.html');
    expect(rendererUrl(undefined, true)).toBe('app://vmscope/index.html');
  });

  it('is the electron-vite dev server when unpacked and the URL is loopback http', () => {
    expect(rendererUrl('http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(rendererUrl('http://127.0.0.1:5173', false)).toBe('http://127.0.0.1:5173/');
    expect(rendererUrl(undefined, false)).toBe('app://vmscope/index.html');
  });

  it('ignores, with a warning, a dev URL that is not loopback http', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const url of [
      'https://evil.example/',
      'http://192.168.1.5:5173/',
      'file:///tmp/x.html',
      'not a url',
    ]) {
      expect(rendererUrl(url, false)).toBe('app://vmscope/index.html');
    }
    expect(warn).toHaveBeenCalledTimes(4);
  });
});
