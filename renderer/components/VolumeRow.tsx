// One volume in the list: its facts, one primary action (Mount or Unmount), and the rest in
// its menu (RowMenu), which a right click on the row opens too. Named by the volume, so screen
// readers and tests find "the row of scratch" and its "Mount" button.

import { memo, useState } from 'react';
import { Button, Tooltip, TooltipTrigger } from 'react-aria-components';
import type { VolumeInspect } from '../../app/api/types.js';
import { clipboardRefused } from '../../app/errors/catalogue.js';
import { bridge } from '../bridge/api.js';
import { sourceOf, statusOf, unmountEffect, usageOf } from '../lib/volume-facts.js';
import { useErrors } from '../store/errors.js';
import { useView } from '../store/view.js';
import { useRemoval } from '../store/removal.js';
import { useVolumes, type Busy } from '../store/volumes.js';
import { RowMenu, type RowAction } from './RowMenu.js';

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
  const [menuOpen, setMenuOpen] = useState(false);
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
  const act = (a: RowAction) => {
    if (a === 'details') useView.getState().open({ inspect: v.Name });
    else if (a === 'open') void open();
    else if (a === 'copy') void copy();
    else if (a === 'mount-again') void mount([v.Name]);
    else if (a === 'force-unmount') void unmount([v.Name], true);
    else useRemoval.getState().ask([v.Name]);
  };
  const effect = unmountEffect(v);
  const primary = mounted ? (
    <Button className="primary-action" isDisabled={busy !== undefined} onPress={() => void unmount([v.Name])}>
      Unmount
    </Button>
  ) : (
    <Button className="primary-action" isDisabled={busy !== undefined} onPress={() => void mount([v.Name])}>
      Mount
    </Button>
  );
  return (
    <div
      role="row"
      aria-label={v.Name}
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-busy={busy !== undefined}
      className={`row status-${statusOf(v).replace(/ /g, '-')}`}
      style={{ height: ROW_HEIGHT }}
      onContextMenu={(e) => {
        e.preventDefault();
        setMenuOpen(true);
      }}
    >
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
      <div role="gridcell" className="c-count" title={effect ?? undefined}>
        {v.MountCount}
      </div>
      <div role="gridcell" className="c-status">
        <span className="badge" role={busy ? 'status' : undefined}>
          {status}
        </span>
      </div>
      <div role="gridcell" className="c-usage">{usageOf(v)}</div>
      <div role="gridcell" className="c-actions">
        {effect ? (
          <TooltipTrigger delay={300}>
            {primary}
            <Tooltip className="tooltip" placement="top">
              {effect}
            </Tooltip>
          </TooltipTrigger>
        ) : (
          primary
        )}
        <RowMenu v={v} busy={busy !== undefined} isOpen={menuOpen} onOpenChange={setMenuOpen} onAction={act} />
        {copied && (
          <span role="status" className="copied">
            Copied
          </span>
        )}
      </div>
    </div>
  );
});
