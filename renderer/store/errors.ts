// The guided error on screen, with the action that failed so "Try again" can re-run it.

import { create } from 'zustand';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { useNotices } from './notices.js';

export interface ShownError {
  error: GuidedErrorData;
  /** The volume or action it belongs to, shown in the panel's heading. */
  subject?: string;
  /** The volume it is about, where there is one: actions such as "Trust this host" need it. */
  volume?: string;
  retry?: () => void;
}

interface ErrorState {
  shown: ShownError[];
  show: (e: ShownError) => void;
  dismiss: (index: number) => void;
  /** Takes away what was shown about `subject` (a machine that answers again). */
  settle: (subject: string) => void;
  /** Drops the errors `settled` says are over (a plugin that answers again). */
  drop: (settled: (e: ShownError) => boolean) => void;
  /** Drops the errors about volumes that are gone. */
  forget: (volumes: string[]) => void;
  clear: () => void;
}

export const useErrors = create<ErrorState>((set, get) => ({
  shown: [],
  // One panel per problem: the same error again (the same words, about the same volume or
  // about every call refused for one reason) replaces the one shown; the same kind saying
  // something else (another archive refused) is another problem, added.
  show: (e) => {
    const same = (x: ShownError) => x.error.code === e.error.code && x.error.happened === e.error.happened;
    // A problem said again while it is shown (a machine that still does not answer, every few
    // seconds) is one entry in the history, not one per time.
    if (!get().shown.some(same)) useNotices.getState().record(`${e.error.title}${e.subject ? ` — ${e.subject}` : ''}: ${e.error.happened}`, 'problem');
    set((s) => ({ shown: [...s.shown.filter((x) => !same(x)), e] }));
  },
  dismiss: (index) => set((s) => ({ shown: s.shown.filter((_, i) => i !== index) })),
  settle: (subject) => set((s) => ({ shown: s.shown.filter((e) => e.subject !== subject) })),
  drop: (settled) => set((s) => ({ shown: s.shown.filter((e) => !settled(e)) })),
  forget: (volumes) => set((s) => ({ shown: s.shown.filter((e) => e.volume === undefined || !volumes.includes(e.volume)) })),
  clear: () => set({ shown: [] }),
}));
