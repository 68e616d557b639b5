// NFS against a real nfs-ganesha on loopback. This kernel has no NFS client, so the last
// step of a correct mount is the kernel's own error, which must be told apart from the
// server's.

import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nfsExports } from '../../app/drivers/local/nfs-probe.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { cli } from '../helpers/cli.js';
import { describeIf, ganeshaUp, isRoot, NFS_EXPORT } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';

describeIf(isRoot && ganeshaUp(), 'root and nfs-ganesha exporting on 127.0.0.1 (test/setup/provision.sh)')('NFS volumes', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: VolumeEngine;
  beforeAll(() => {
    t = tempDir();
    engine = new VolumeEngine({ stateDir: join(t.dir, 'state') });
  });
  afterAll(() => t.cleanup());

  const nfs = async (name: string, device: string, o = 'addr=127.0.0.1,nfsvers=4.1') => {
    await engine.create({ name, options: { type: 'nfs', device, o } });
    const [r] = await engine.mount([name]);
    return r!;
  };

  it('lists the server\'s exports', async () => {
    expect(await nfsExports('127.0.0.1')).toContainEqual({ path: NFS_EXPORT, clients: '(everyone)' });
    const r = cli(join(t.dir, 'state'), ['nfs', 'exports', '127.0.0.1']);
    expect(r.stdout).toContain(NFS_EXPORT);
  });

  it('names a wrong export and offers the real ones', async () => {
    const r = await nfs('wrong', '127.0.0.1:/not/exported');
    expect(r.error).toMatchObject({ code: 'NFS_EXPORT_NOT_FOUND' });
    expect(r.error!.steps.map((s) => s.command ?? '').join('\n')).toContain(`127.0.0.1:${NFS_EXPORT}`);
  });

  it('reports a dead port in a second instead of hanging', async () => {
    const r = await nfs('dead', `127.0.0.1:${NFS_EXPORT}`, 'addr=127.0.0.1,port=1');
    expect(r.error).toMatchObject({ code: 'NFS_SERVER_UNREACHABLE' });
    expect(r.error!.happened).toContain('ECONNREFUSED');
  });

  it('tells the kernel\'s missing NFS client apart from server problems', async () => {
    const r = await nfs('good', `127.0.0.1:${NFS_EXPORT}`);
    if (r.ok) {
      // A machine whose kernel has an NFS client mounts for real.
      expect(mountsUnder(t.dir).map((m) => m.fstype)).toContain('nfs4');
      await engine.unmount(['good']);
      return;
    }
    expect(r.error).toMatchObject({ code: 'NFS_KERNEL_MISSING', happened: expect.stringContaining('No such device') });
    expect((await engine.inspect(['good']))[0]).toMatchObject({ MountCount: 0, Mounted: false });
  });

  it('rejects an unreachable server name when listing exports', async () => {
    await expect(nfsExports('127.0.0.2')).rejects.toMatchObject({ code: 'NFS_SERVER_UNREACHABLE' });
  });
});
