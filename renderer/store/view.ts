// How the list is looked at: search, filters, sorting, and which panel is open.

import { create } from 'zustand';
import type { ListFilter, SortKey } from '../lib/volume-facts.js';

interface ViewState extends ListFilter {
  sortKey: SortKey;
  descending: boolean;
  dialog: 'none' | 'create' | 'containers' | 'add-machine' | 'history' | { inspect: string };
  setFilter: (f: Partial<ListFilter>) => void;
  sortBy: (key: SortKey) => void;
  open: (dialog: ViewState['dialog']) => void;
}

export const useView = create<ViewState>((set) => ({
  text: '',
  kind: '',
  status: '',
  label: '',
  sortKey: 'name',
  descending: false,
  dialog: 'none',
  setFilter: (f) => set(f),
  sortBy: (key) => set((s) => ({ sortKey: key, descending: s.sortKey === key ? !s.descending : false })),
  open: (dialog) => set({ dialog }),
}));
