// The IPC sender check with frames shaped like Electron's: the Electron binary cannot be had
// on these machines, so the predicate main/electron/ipc.ts applies to every call is tested on
// its own; the e2e specs exercise the whole IPC path where Electron exists.

import { describe, expect, it } from 'vitest';
import { fromOurPage, type SenderOf } from './sender.js';

const PAGE = 'file:///opt/volume-manager/resources/app/dist/renderer/index.html';
type Frame = NonNullable<SenderOf['senderFrame']>;
const frame = (url: string) => ({ url }) as Frame;

describe('the IPC sender check', () => {
  it("answers the app's own page in its top frame", () => {
    const top = frame(PAGE);
    expect(fromOurPage({ senderFrame: top, sender: { mainFrame: top } }, PAGE)).toBe(true);
  });

  it('refuses another page, a frame inside the page, and a frame that is gone', () => {
    const elsewhere = frame('https://evil.example/');
    expect(fromOurPage({ senderFrame: elsewhere, sender: { mainFrame: elsewhere } }, PAGE)).toBe(false);
    const inner = frame(PAGE);
    expect(fromOurPage({ senderFrame: inner, sender: { mainFrame: frame(PAGE) } }, PAGE)).toBe(false);
    expect(fromOurPage({ senderFrame: null, sender: { mainFrame: frame(PAGE) } }, PAGE)).toBe(false);
    const withQuery = frame(`${PAGE}?x=1`);
    expect(fromOurPage({ senderFrame: withQuery, sender: { mainFrame: withQuery } }, PAGE)).toBe(false);
  });
});
