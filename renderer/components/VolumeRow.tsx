// One volume in the list, with its actions. Named by the volume, so screen readers and
// tests find "the row of scratch" and its "Mount" button.

import { memo, useState } from 'react';
import type { VolumeInspect } from '../../app/api/types.js';
import { clipboardRefused } from '../../app/errors/catalogue.js';
import { bridge } from '../bridge/api.js';
import { sourceOf, statusOf, usageOf } from '../lib/volume-facts.js';
import { useErrors } from '../store/errors.js';
import { useView } from '../store/view.js';
import { useRemoval } from '../store/removal.js';
import { useVolumes, type Busy } from '../store/volumes.js';

export const ROW_HEIGHT = 40;

interface Props {
  v: VolumeInspect;
  index: number;
  busy?: Busy;
  selected: boolean;
}

export const VolumeRow = memo(function VolumeRow({ v, index, busy, selected }: Props) {
  const { mount, unmount, toggle } = useVolumes.getState();
  const status = busy ? `${busy}…` : statusOf(v);
  const mounted = v.Mounted || v.MountCount > 0;
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(v.Mountpoint);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch (err) {
      useErrors.getState().show({ error: clipboardRefused(String(err)).toJSON(), subject: v.Name });
    }
  };
  const open = async () => {
    const env = await bridge.openMountpoint(v.Name);
    if (!env.ok) useErrors.getState().show({ error: env.error, subject: v.Name });
  };
  return (
    <div role="row" aria-label={v.Name} aria-rowindex={index + 2} aria-selected={selected} aria-busy={busy !== undefined} className={`row status-${statusOf(v).replace(/ /g, '-')}`} style={{ height: ROW_HEIGHT }}>
      <div role="gridcell" className="c-select">
        <input type="checkbox" aria-label={`Select ${v.Name}`} checked={selected} onChange={(e) => toggle(v.Name, e.target.checked)} />
      </div>
      <div role="gridcell" className="c-name" title={v.Name}>
        {v.Name}
      </div>
      <div role="gridcell" className="c-driver">{v.Driver}</div>
      <div role="gridcell" className="c-kind">{v.Kind}</div>
      <div role="gridcell" className="c-source" title={sourceOf(v)}>
        {sourceOf(v)}
      </div>
      <div role="gridcell" className="c-mountpoint" title={v.Mountpoint}>
        {v.Mountpoint}
      </div>
      <div role="gridcell" className="c-count">{v.MountCount}</div>
      <div role="gridcell" className="c-status">
        <span className="badge" role={busy ? 'status' : undefined}>
          {status}
        </span>
      </div>
      <div role="gridcell" className="c-usage">{usageOf(v)}</div>
      <div role="gridcell" className="c-actions">
        <button type="button" disabled={busy !== undefined} onClick={() => void mount([v.Name])}>
          Mount
        </button>
        <button type="button" disabled={busy !== undefined || !mounted} onClick={() => void unmount([v.Name])}>
          Unmount
        </button>
        <button type="button" disabled={busy !== undefined || !mounted} onClick={() => void unmount([v.Name], true)}>
          Force unmount
        </button>
        <button type="button" disabled={!v.Mountpoint} onClick={() => void open()}>
          Open
        </button>
        <button type="button" disabled={!v.Mountpoint} aria-label="Copy mountpoint" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy mountpoint'}
        </button>
        <button type="button" onClick={() => useView.getState().open({ inspect: v.Name })}>
          Inspect
        </button>
        <button type="button" disabled={busy !== undefined} onClick={() => useRemoval.getState().ask([v.Name])}>
          Remove
        </button>
      </div>
    </div>
  );
});
