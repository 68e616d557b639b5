// What a person is told when the system changed but the state could not record it (disk
// full, read-only, immutable): the state error itself, plus what that left behind for each
// volume of the call, so that nobody has to guess whether a mount is there or not.

import { GuidedError, type GuidedErrorData } from '../errors/guided-error.js';

export type MountLeft = 'unchanged' | 'undone' | 'left-mounted';
export type UnmountLeft = 'unchanged' | 'unmounted' | 'plugin-unmounted';

const mountNotes: Record<MountLeft, (name: string) => string> = {
  unchanged: () => 'The count was not changed.',
  undone: (name) => `${name} was mounted, then unmounted again, so the system still matches the state.`,
  'left-mounted': (name) => `${name} is mounted but not recorded; the mount table shows it, so the next list counts it once, and one unmount undoes it.`,
};

const unmountNotes: Record<UnmountLeft, (name: string) => string> = {
  unchanged: () => 'The count was not changed.',
  unmounted: (name) => `${name} was unmounted but the state still counts it; the mount table shows it gone, so the next list corrects the count.`,
  'plugin-unmounted': (name) => `The plugin unmounted ${name} but the state still counts it as mounted; run the unmount again once the state can be written.`,
};

const withNote = (e: GuidedError, note: string): GuidedErrorData => ({ ...e.toJSON(), why: `${e.why} ${note}` });

export const mountNotRecorded = (e: GuidedError, name: string, left: MountLeft) => withNote(e, mountNotes[left](name));
export const unmountNotRecorded = (e: GuidedError, name: string, left: UnmountLeft) => withNote(e, unmountNotes[left](name));
