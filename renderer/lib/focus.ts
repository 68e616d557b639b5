// Where the keyboard focus goes when the control that had it goes away (a dismissed error, a
// closed dialog whose opener was a menu item): somewhere the person can go on from, never the
// page. Called right after the change that removes the control; it acts after React has drawn
// it, and only if the focus did fall to the page (a dialog that gave it back wins).

const rowOf = (name: string) => document.querySelector<HTMLElement>(`[role="row"][aria-label="${CSS.escape(name)}"]`);

/** A volume's row: its Mount/Unmount button, or its ⋯ button when it has none. */
export const rowControl = (name: string) => rowOf(name)?.querySelector<HTMLElement>('.primary-action') ?? rowOf(name)?.querySelector<HTMLElement>('.menu-button') ?? null;

/** The row's ⋯ button, which opened the dialog being closed. */
export const rowMenuButton = (name: string) => rowOf(name)?.querySelector<HTMLElement>('.menu-button') ?? null;

/** The first row's primary action, or Create volume when no row is left. */
export const listControl = () => document.querySelector<HTMLElement>('[role="table"] [role="row"] .primary-action') ?? document.querySelector<HTMLElement>('[role="toolbar"] button.primary');

export function focusIfFallen(pick: () => HTMLElement | null | undefined) {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body) return;
      (pick() ?? listControl())?.focus();
    }),
  );
}
