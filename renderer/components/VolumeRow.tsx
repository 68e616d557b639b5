// One volume in the list: its facts, one primary action (Mount or Unmount), and the rest in
// its menu (RowMenu), which a right click on the row opens too. Named by the volume, so screen
// readers and tests find "the row of scratch" and its "Mount" button.

import { memo, useRef, useState } from 'react';
import { Button, Tooltip, TooltipTrigger } from 'react-aria-components';
import type { VolumeInspect } from '../../app/api/types.js';
import { clipboardRefused } from '../../app/errors/page-errors.js';
import { bridge } from '../bridge/api.js';
import { createdOf, sourceOf, statusOf, unmountEffect, usageOf, usedByOf } from '../lib/volume-facts.js';
import { useErrors } from '../store/errors.js';
import { useView } from '../store/view.js';
import { useForceUnmount } from '../store/force-unmount.js';
import { useRemoval } from '../store/removal.js';
import { useVolumes, type Busy } from '../store/volumes.js';
import { RowMenu, type RowAction } from './RowMenu.js';

export const ROW_HEIGHT = 40;

/** At most this many characters stay whole at the end; a longer last part is cut as the rest. */
const TAIL_MAX = 28;

/** The end of a path that tells two apart: the volume's folder and _data, or the last part. */
function tailOf(path: string): string {
  for (const m of [/\/[^/]*\/_data$/.exec(path), /\/[^/]*$/.exec(path)]) if (m && m[0].length <= TAIL_MAX) return m[0];
  return '';
}

/** A long path cut in the middle, not at its end. */
function MiddleCut({ text }: { text: string }) {
  const tail = tailOf(text);
  return (
    <span className="mid">
      <span className="head">{text.slice(0, text.length - tail.length)}</span>
      <span className="tail">{tail}</span>
    </span>
  );
}

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
  const more = useRef<HTMLButtonElement>(null);
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
    // A dialog keeps, to give it back at its close, what had the focus when it opened: the ⋯
    // button, not the menu item that is going away (React Aria gives the menu's focus back a
    // frame later).
    if (a === 'details' || a === 'remove') more.current?.focus();
    if (a === 'details') useView.getState().open({ inspect: v.Name });
    else if (a === 'open') void open();
    else if (a === 'copy') void copy();
    else if (a === 'mount-again') void mount([v.Name]);
    else if (a === 'force-unmount') void useForceUnmount.getState().ask(v.Name);
    else useRemoval.getState().ask([v.Name]);
  };
  const effect = unmountEffect(v);
  const usedBy = usedByOf(v.UsedBy);
  // Pending, not disabled, while the action runs: a disabled button drops the keyboard focus
  // onto the page, and the same button (then Unmount) is what the person presses next.
  const primary = (
    <Button className="primary-action" isPending={busy !== undefined} onPress={() => void (mounted ? unmount([v.Name]) : mount([v.Name]))}>
      {mounted ? 'Unmount' : 'Mount'}
    </Button>
  );
  return (
    <div
      role="row"
      aria-label={v.Name}
      aria-rowindex={index + 2}
      aria-busy={busy !== undefined}
      className={`row status-${statusOf(v).replace(/ /g, '-')}`}
      style={{ height: ROW_HEIGHT }}
      onContextMenu={(e) => {
        e.preventDefault();
        setMenuOpen(true);
      }}
    >
      <div role="cell" className="c-select">
        <input type="checkbox" aria-label={`Select ${v.Name}`} checked={selected} onChange={(e) => toggle(v.Name, e.target.checked)} />
      </div>
      <div role="cell" className="c-name" title={v.Name}>
        {v.Name}
      </div>
      <div role="cell" className="c-driver">{v.Driver}</div>
      <div role="cell" className="c-kind">{v.Kind}</div>
      <div role="cell" className="c-source" title={sourceOf(v)}>
        {sourceOf(v)}
      </div>
      <div role="cell" className="c-mountpoint" title={v.Mountpoint}>
        <MiddleCut text={v.Mountpoint} />
      </div>
      <div role="cell" className="c-count" title={effect ?? undefined}>
        {v.MountCount}
      </div>
      <div role="cell" className="c-status">
        <span className="badge" role={busy ? 'status' : undefined}>
          {status}
        </span>
        {/* Where the Used by column is dropped (narrow windows), it is said under the status. */}
        {v.UsedBy && (
          <span className="used-by" title={usedBy}>
            {usedBy}
          </span>
        )}
      </div>
      <div role="cell" className="c-holders" title={usedBy}>
        {usedBy.replace(/^used by /, '')}
      </div>
      <div role="cell" className="c-usage">{usageOf(v)}</div>
      <div role="cell" className="c-created" title={createdOf(v, true)}>
        {createdOf(v)}
      </div>
      <div role="cell" className="c-actions">
        {/* A plain directory has nothing to mount: no button that would do nothing. */}
        {(v.NeedsMount || v.Plugin || v.MountCount > 0) && (
          <TooltipTrigger delay={300} closeDelay={0} isDisabled={!effect}>
            {primary}
            <Tooltip className="tooltip" placement="top">
              {effect}
            </Tooltip>
          </TooltipTrigger>
        )}
        <RowMenu v={v} busy={busy !== undefined} isOpen={menuOpen} onOpenChange={setMenuOpen} onAction={act} triggerRef={more} />
        {copied && (
          <span role="status" className="copied">
            Copied
          </span>
        )}
      </div>
    </div>
  );
});
