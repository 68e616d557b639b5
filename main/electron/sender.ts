// Which IPC calls the main process answers: those from the app's own page in its top frame.
// A page the window was navigated to (navigation is denied, but this is the second fence) or
// a frame inside the page gets nothing. Pure, so it is tested without Electron.

import type { IpcMainInvokeEvent } from 'electron';

/** The parts of an invoke event that say who sent it. */
export type SenderOf = Pick<IpcMainInvokeEvent, 'senderFrame'> & { sender: Pick<IpcMainInvokeEvent['sender'], 'mainFrame'> };

export function fromOurPage(event: SenderOf, page: string): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && frame.url === page && frame === event.sender.mainFrame;
}
