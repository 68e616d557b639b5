// A volume's secondary actions, in React Aria's menu: arrow keys, typeahead, Escape, and focus
// back on its button. The row's context menu opens the same menu (VolumeRow), so a right click
// and the ⋯ button offer one list.

import type { RefObject } from 'react';
import { Button, Menu, MenuItem, MenuTrigger, Popover, Separator } from 'react-aria-components';
import type { VolumeInspect } from '../../app/api/types.js';

export type RowAction = 'mount-again' | 'force-unmount' | 'open' | 'copy' | 'details' | 'remove';

interface Props {
  v: VolumeInspect;
  busy: boolean;
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onAction: (a: RowAction) => void;
  /** The ⋯ button, for actions that open a dialog: focus goes back to it when the dialog closes. */
  triggerRef: RefObject<HTMLButtonElement | null>;
}

export function RowMenu({ v, busy, isOpen, onOpenChange, onAction, triggerRef }: Props) {
  const mounted = v.Mounted || v.MountCount > 0;
  const disabled: RowAction[] = [];
  if (busy) disabled.push('mount-again', 'force-unmount', 'remove');
  if (!mounted) disabled.push('mount-again', 'force-unmount');
  if (!v.Mountpoint) disabled.push('open', 'copy');
  return (
    <MenuTrigger isOpen={isOpen} onOpenChange={onOpenChange}>
      <Button ref={triggerRef} className="menu-button" aria-label={`More actions for ${v.Name}`}>
        ⋯
      </Button>
      <Popover placement="bottom end" className="menu-popover">
        <Menu aria-label={`Actions for ${v.Name}`} disabledKeys={disabled} onAction={(key) => onAction(key as RowAction)} className="menu">
          <MenuItem id="details" className="menu-item">
            Details
          </MenuItem>
          <MenuItem id="open" className="menu-item">
            Open folder
          </MenuItem>
          <MenuItem id="copy" className="menu-item">
            Copy mountpoint
          </MenuItem>
          <Separator className="menu-separator" />
          <MenuItem id="mount-again" className="menu-item" textValue="Mount again">
            Mount again <span className="menu-hint">(count {v.MountCount} → {v.MountCount + 1})</span>
          </MenuItem>
          <MenuItem id="force-unmount" className="menu-item">
            Force unmount
          </MenuItem>
          <Separator className="menu-separator" />
          <MenuItem id="remove" className="menu-item danger">
            Remove…
          </MenuItem>
        </Menu>
      </Popover>
    </MenuTrigger>
  );
}
