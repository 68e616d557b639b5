// The errors the window makes itself, about its own connection and the desktop, kept apart
// from the engine's catalogue so the page bundle holds no more of the engine than it needs.

import { GuidedError } from './guided-error.js';

export const hostTokenRefused = () =>
  new GuidedError({
    code: 'HOST_TOKEN_REFUSED',
    title: 'This page has no valid token',
    happened: 'the host refused the call (HTTP 401)',
    why: 'The browser host only answers pages opened with the address it printed, which carries its token.',
    steps: [{ text: 'Open the address the host printed last: each one logs one browser in, once, and the host prints a new one when it was used.' }],
  });

export const hostUnreachable = (happened: string) =>
  new GuidedError({
    code: 'HOST_UNREACHABLE',
    title: 'The window lost its connection to the app',
    happened,
    why: 'The call did not reach the engine: the app or the browser host stopped, or the connection broke.',
    steps: [{ text: 'Reload the window; if the host was stopped, start it again.', command: 'npm start' }],
  });

export const clipboardRefused = (happened: string) =>
  new GuidedError({
    code: 'UNEXPECTED',
    title: 'The mountpoint could not be copied',
    happened,
    why: 'The clipboard refused the text (a browser asks for permission first, and some desktops have no clipboard service).',
    steps: [{ text: "Select the path in the volume's Mountpoint cell and copy it with Ctrl+C." }],
  });
