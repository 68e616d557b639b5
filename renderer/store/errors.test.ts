import { beforeEach, describe, expect, it } from 'vitest';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { useErrors } from './errors.js';
import { useNotices } from './notices.js';

const err = (code: string, happened: string) => ({ code, title: 't', happened, why: 'w', steps: [] }) as unknown as GuidedErrorData;

describe('the errors on screen', () => {
  beforeEach(() => useErrors.getState().clear());

  it('adds a newer error of the same kind about the same volume when it says something else', () => {
    const { show } = useErrors.getState();
    show({ error: err('ARCHIVE_ENTRY_REFUSED', 'refused 1 entry: ../a'), subject: 'imp', volume: 'imp' });
    show({ error: err('ARCHIVE_ENTRY_REFUSED', 'refused 1 entry: /etc/b'), subject: 'imp', volume: 'imp' });
    expect(useErrors.getState().shown.map((e) => e.error.happened)).toEqual(['refused 1 entry: ../a', 'refused 1 entry: /etc/b']);
  });

  it('shows one panel for the same error again, or for every call refused for one reason', () => {
    const { show } = useErrors.getState();
    show({ error: err('TARGET_BUSY', 'busy'), subject: 'a' });
    show({ error: err('TARGET_BUSY', 'busy'), subject: 'a' });
    show({ error: err('HOST_TOKEN_REFUSED', 'the token was refused'), subject: 'list' });
    show({ error: err('HOST_TOKEN_REFUSED', 'the token was refused'), subject: 'mount' });
    expect(useErrors.getState().shown.map((e) => `${e.error.code} ${e.subject}`)).toEqual(['TARGET_BUSY a', 'HOST_TOKEN_REFUSED mount']);
  });

  it('keeps one entry in the history for a problem said again while it is shown', () => {
    const before = useNotices.getState().history.length;
    for (let i = 0; i < 5; i++) useErrors.getState().show({ error: err('REMOTE_LOST', 'the connection to lab was lost'), subject: 'volume list of lab' });
    expect(useNotices.getState().history.length - before).toBe(1);
  });
});
