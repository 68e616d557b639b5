// The folder picker's listing through the contract, on a real directory tree: folders only
// (symbolic links to folders too), sorted, resolved, capped; bad paths refused with a guided
// error. Needs no root.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolderListing } from '../../app/api/types.js';
import { createHandlers, dispatch } from '../../app/handlers/handlers.js';
import { MAX_FOLDERS } from '../../app/system/folders.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { suiteStateDir } from '../helpers/fixtures.js';

describe('the folder listing', () => {
  const ctx = suiteStateDir({ beforeAll, afterAll });
  let api: ReturnType<typeof createHandlers>;
  const list = async (request: unknown) => dispatch(api, 'folder.list', request);
  const listed = async (request: unknown) => {
    const r = await list(request);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value as FolderListing;
  };

  beforeAll(() => {
    api = createHandlers(new VolumeEngine({ stateDir: ctx.state, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } }));
    const tree = join(ctx.dir, 'tree');
    for (const d of ['b-folder', 'a-folder', 'C-upper', '.hidden', 'disk10', 'disk9']) mkdirSync(join(tree, d), { recursive: true });
    writeFileSync(join(tree, 'a-file'), '');
    symlinkSync(join(tree, 'a-folder'), join(tree, 'link-to-folder'));
    symlinkSync(join(tree, 'a-file'), join(tree, 'link-to-file'));
    symlinkSync(join(tree, 'nowhere'), join(tree, 'broken-link'));
    symlinkSync(tree, join(ctx.dir, 'tree-link'));
  });

  it('lists the folders in a folder, and links to folders, sorted as a file manager does, and nothing else', async () => {
    const tree = join(ctx.dir, 'tree');
    expect(await listed({ path: tree })).toEqual({ path: tree, parent: ctx.dir, folders: ['.hidden', 'a-folder', 'b-folder', 'C-upper', 'disk9', 'disk10', 'link-to-folder'], truncated: false });
  });

  it('resolves the path it was given, and has no parent at the root', async () => {
    expect((await listed({ path: join(ctx.dir, 'tree-link') })).path).toBe(join(ctx.dir, 'tree'));
    const root = await listed({ path: '/' });
    expect(root.parent).toBeUndefined();
    expect(root.folders).toContain('tmp');
  });

  it("opens at the home folder of the app's user when no path is given", async () => {
    expect((await listed({})).path).toBe(join(homedir()));
  });

  it('cuts a folder with more children than it shows, and says so', async () => {
    const many = join(ctx.dir, 'many');
    for (let i = 0; i <= MAX_FOLDERS; i++) mkdirSync(join(many, `d${String(i).padStart(5, '0')}`), { recursive: true });
    const r = await listed({ path: many });
    expect(r.folders).toHaveLength(MAX_FOLDERS);
    expect(r.truncated).toBe(true);
  });

  it('refuses what is not an absolute path at the contract or the listing, changing nothing', async () => {
    for (const request of [{ path: 'relative/dir' }, { path: '../..' }, { path: '/tmp\0/x' }, { path: 'x'.repeat(5000) }, { path: 7 }, { path: '/', extra: 1 }, 'just a string']) {
      const r = await list(request);
      expect(r, JSON.stringify(request).slice(0, 60)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
  });

  it('explains a missing folder or a file with a guided error whose command is quoted', async () => {
    const missing = join(ctx.dir, "it's not here");
    const r = await list({ path: missing });
    expect(r).toMatchObject({ ok: false, error: { code: 'FOLDER_UNREADABLE' } });
    if (r.ok) return;
    expect(r.error.happened).toContain('ENOENT');
    expect(r.error.steps[0]!.command).toBe(`ls -ld '${ctx.dir}/it'\\''s not here'`);
    expect(await list({ path: join(ctx.dir, 'tree', 'a-file') })).toMatchObject({ ok: false, error: { code: 'FOLDER_UNREADABLE', happened: expect.stringContaining('ENOTDIR') } });
  });
});
