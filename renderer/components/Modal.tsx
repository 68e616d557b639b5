// A modal question on the platform's own <dialog>: showModal() puts it in the top layer with
// a backdrop, makes the page behind inert (focus cannot leave it, clicks cannot reach the
// page), and Escape cancels it. `onCancel` is the safe answer, also given by Escape.

import { useLayoutEffect, useRef, type ReactNode } from 'react';

interface Props {
  label: string;
  role?: 'dialog' | 'alertdialog';
  className?: string;
  onCancel: () => void;
  children: ReactNode;
}

export function Modal({ label, role = 'alertdialog', className = '', onCancel, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      role={role}
      aria-label={label}
      className={`modal ${className}`}
      onCancel={(e) => {
        // The dialog stays until the store closes it, so the answer goes one way only.
        e.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
