// What the window said, apart from the errors that wait for an answer: "Removed: …",
// "Exported … (126 MB)". A notice is shown for NOTICE_MS and then leaves by itself, unless the
// pointer or the focus is on it (WCAG 2.2.1: a person reading it keeps it). Everything said,
// errors included, stays in the history the header's History button opens.

import { create } from 'zustand';

export const NOTICE_MS = 6000;
const HISTORY_KEPT = 200;
/** More at once would cover the list: the oldest leaves early for the history. */
const LIVE_AT_MOST = 3;

export interface Notice {
  id: number;
  text: string;
  /** ms since the epoch. */
  at: number;
  tone: 'done' | 'problem';
}

interface NoticeState {
  /** On screen now, oldest first. */
  live: Notice[];
  /** Everything said, newest first, at most HISTORY_KEPT. */
  history: Notice[];
  /** While true (pointer or focus on the notices), nothing leaves. */
  held: boolean;
  say: (text: string) => void;
  /** Into the history only, for what another part of the window shows (an error, a transfer's row). */
  record: (text: string, tone: Notice['tone']) => void;
  hold: (held: boolean) => void;
  leave: (id: number) => void;
  clearHistory: () => void;
}

let nextId = 1;

/** Runs `fn` once NOTICE_MS have passed with nobody pointing at or focused on what is said. */
export function whenRead(fn: () => void): void {
  setTimeout(() => (useNotices.getState().held ? whenRead(fn) : fn()), NOTICE_MS);
}

export const useNotices = create<NoticeState>((set, get) => {
  const entry = (text: string, tone: Notice['tone']): Notice => ({ id: nextId++, text, at: Date.now(), tone });
  return {
    live: [],
    history: [],
    held: false,
    say(text) {
      const n = entry(text, 'done');
      set((s) => ({ live: [...s.live, n].slice(-LIVE_AT_MOST), history: [n, ...s.history].slice(0, HISTORY_KEPT) }));
      whenRead(() => get().leave(n.id));
    },
    record(text, tone) {
      const n = entry(text, tone);
      set((s) => ({ history: [n, ...s.history].slice(0, HISTORY_KEPT) }));
    },
    hold: (held) => set({ held }),
    leave: (id) => set((s) => ({ live: s.live.filter((n) => n.id !== id) })),
    clearHistory: () => set({ history: [] }),
  };
});
