import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type GuardedContents, guardContents } from './contentsGuards';

/** A web contents stand-in: real events, and the window-open handler kept for inspection. */
function fakeContents() {
  const events = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: (...args: unknown[]) => void) => events.on(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
  } as unknown as GuardedContents;
  const fire = (name: string): boolean => {
    let prevented = false;
    events.emit(name, { preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('the web contents guards', () => {
  it('refuse navigation, redirects and <webview>', () => {
    const fake = fakeContents();
    guardContents(fake.contents);
    expect(fake.fire('will-navigate')).toBe(true);
    expect(fake.fire('will-redirect')).toBe(true);
    expect(fake.fire('will-attach-webview')).toBe(true);
  });

  it('deny every new window, https links included (nothing is opened outside the app)', () => {
    const fake = fakeContents();
    guardContents(fake.contents);
    for (const url of [
      'https://example.com/',
      'file:///etc/passwd',
      'app://vmscope/index.html',
      'smb://host/share',
    ]) {
      expect(fake.open(url)).toEqual({ action: 'deny' });
    }
  });
});
