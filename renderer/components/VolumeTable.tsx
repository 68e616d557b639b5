// The volumes table: role=table, read as a table and walked with Tab through each row's own
// controls, promising no arrow-key navigation. Only the rows in view are rendered (fixed row
// height, a spacer above and below), so 10,000 volumes scroll as smoothly as ten.

import { useEffect, useMemo, useRef, useState } from 'react';
import { filterVolumes, sortVolumes, type SortKey } from '../lib/volume-facts.js';
import { useView } from '../store/view.js';
import { useVolumes } from '../store/volumes.js';
import { ROW_HEIGHT, VolumeRow } from './VolumeRow.js';

const OVERSCAN = 8;
const COLUMNS: { key?: SortKey; label: string; className: string }[] = [
  { label: '', className: 'c-select' },
  { key: 'name', label: 'Name', className: 'c-name' },
  { key: 'driver', label: 'Driver', className: 'c-driver' },
  { key: 'kind', label: 'Type', className: 'c-kind' },
  { key: 'source', label: 'Source', className: 'c-source' },
  { label: 'Mountpoint', className: 'c-mountpoint' },
  { key: 'count', label: 'Count', className: 'c-count' },
  { key: 'status', label: 'Status', className: 'c-status' },
  { label: 'Used by', className: 'c-holders' },
  { key: 'used', label: 'Used', className: 'c-usage' },
  { key: 'created', label: 'Created', className: 'c-created' },
  { label: 'Actions', className: 'c-actions' },
];

export function VolumeTable() {
  const volumes = useVolumes((s) => s.volumes);
  const loaded = useVolumes((s) => s.loaded);
  const failed = useVolumes((s) => s.failed);
  const busy = useVolumes((s) => s.busy);
  const selected = useVolumes((s) => s.selected);
  const { text, kind, status, label, sortKey, descending, sortBy } = useView();
  const shown = useMemo(() => sortVolumes(filterVolumes(volumes, { text, kind, status, label }), sortKey, descending), [volumes, text, kind, status, label, sortKey, descending]);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const body = useRef<HTMLDivElement | null>(null);
  // The height comes from a ResizeObserver, which reports after layout: reading clientHeight
  // during a render's commit forced a synchronous layout of the page on every render.
  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const seen = new ResizeObserver(([entry]) => {
      const h = entry?.contentRect.height;
      if (h) setHeight(h);
    });
    seen.observe(el);
    return () => seen.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  const shownSelected = shown.filter((v) => selected.has(v.Name)).length;
  const all = shown.length > 0 && shownSelected === shown.length;
  return (
    <div className="grid">
      <div role="table" aria-label="Volumes" aria-rowcount={shown.length + 1} className="grid-rows">
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="row head">
            {COLUMNS.map((c) => (
              <div role="columnheader" key={c.label || 'select'} className={c.className} aria-sort={c.key && c.key === sortKey ? (descending ? 'descending' : 'ascending') : undefined}>
                {c.key ? (
                  <button type="button" className="sort" onClick={() => sortBy(c.key!)}>
                    {c.label}
                    {c.key === sortKey && <span aria-hidden="true">{descending ? ' ▼' : ' ▲'}</span>}
                  </button>
                ) : c.className === 'c-select' ? (
                  <input
                    type="checkbox"
                    aria-label="Select all shown"
                    checked={all}
                    disabled={shown.length === 0}
                    ref={(el) => {
                      if (el) el.indeterminate = shownSelected > 0 && !all;
                    }}
                    onChange={(e) => useVolumes.getState().selectOnly(e.target.checked ? shown.map((v) => v.Name) : [])}
                  />
                ) : (
                  c.label
                )}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="body" ref={body} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
          <div style={{ height: first * ROW_HEIGHT }} aria-hidden="true" />
          {shown.slice(first, last).map((v, i) => (
            <VolumeRow key={v.Name} v={v} index={first + i} busy={busy[v.Name]} selected={selected.has(v.Name)} />
          ))}
          <div style={{ height: (shown.length - last) * ROW_HEIGHT }} aria-hidden="true" />
        </div>
      </div>
      {loaded && shown.length === 0 && <p className="empty">{failed ? 'The volumes could not be listed: the error above says why.' : volumes.length ? 'No volume matches the filters.' : 'No volumes yet. Create volume makes one: memory (tmpfs), an NFS share, a folder of yours, a device, a folder over SSH, or a plugin\'s.'}</p>}
      <p className="count-line" aria-live="polite">
        {loaded ? `${shown.length} of ${volumes.length} volumes${selected.size ? ` · ${selected.size} selected` : ''}` : 'Loading volumes…'}
      </p>
    </div>
  );
}
