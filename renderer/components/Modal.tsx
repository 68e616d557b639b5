// A modal question or panel, on React Aria's ModalOverlay: a backdrop, focus kept inside
// while it is open and given back to where it was when it closes, the page behind hidden from
// assistive technology, and Escape as the safe answer (`onCancel`). React Aria locks the
// page's scroll through the element's style object, which the CSP (style-src 'self') allows;
// Radix's scroll lock adds <style> elements, which it refuses.
// The store opens and closes it: Escape asks `onCancel`, and the dialog stays until the store
// says otherwise, so an answer goes one way only.

import type { ReactNode } from 'react';
import { Dialog, Modal as AriaModal, ModalOverlay } from 'react-aria-components';

interface Props {
  label: string;
  role?: 'dialog' | 'alertdialog';
  className?: string;
  onCancel: () => void;
  children: ReactNode;
}

export function Modal({ label, role = 'alertdialog', className = '', onCancel, children }: Props) {
  return (
    <ModalOverlay isOpen isKeyboardDismissDisabled={false} onOpenChange={(open) => open || onCancel()} className="modal-backdrop">
      <AriaModal className={`modal ${className}`}>
        <Dialog role={role} aria-label={label} className="modal-body">
          {children}
        </Dialog>
      </AriaModal>
    </ModalOverlay>
  );
}
