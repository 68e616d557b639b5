// End to end, "Use in containers": the window serves the plugin protocol from its own process,
// writes podman's line into containers.conf after showing the change, and a real podman runs
// a container on a volume the window made; the row and Details say a container holds it, and
// Unmount says so before it does anything. Closing the window's host removes its socket.

import { AxeBuilder } from '@axe-core/playwright';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { IMAGE, privatePodman, type Podman } from '../helpers/containers.js';
import { describeIf, podmanUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, openApp, openDetails, row, rowButton, SCREENSHOTS, type OpenApp, waitText } from './app.js';

describeIf(podmanUp() && canRunBrowser(), 'root, podman, the test image and Debian chromium (test/setup/provision.sh)')('the window, use in containers', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  let podman: Podman;
  let socket: string;
  let conf: string;
  const state = () => join(t.dir, 'state');

  beforeAll(async () => {
    t = tempDir('vm-e2e-containers-');
    socket = join(t.dir, 'plugin', 'plugin.sock');
    // podman reads only the file CONTAINERS_CONF names: the window edits that one.
    podman = privatePodman(join(t.dir, 'podman'), {});
    conf = podman.env.CONTAINERS_CONF!;
    writeFileSync(conf, readFileSync(conf, 'utf8').replace(/\[engine\.volume_plugins\]\n/, ''));
    app = await openApp({ stateDir: state(), env: { ...podman.env, VOLUME_MANAGER_PLUGIN_SOCKET: socket } });
    expect(cli(state(), ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', 'box']).code).toBe(0);
  });
  afterAll(async () => {
    podman?.cleanup();
    await app?.close();
    t?.cleanup();
  });

  it('serves from the window, points podman at it once the change was shown, and shows the container that holds a volume', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Use in containers…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Use in containers' });
    await waitText(dialog, `Not serving: nothing answers on ${socket}.`);
    await dialog.getByRole('button', { name: 'Serve from this window' }).click();
    await waitText(dialog, `Serving on ${socket} from this window, until it closes.`);
    expect(existsSync(socket)).toBe(true);

    const before = readFileSync(conf, 'utf8');
    await dialog.getByRole('button', { name: `Add them to ${conf}…` }).click();
    const change = dialog.getByLabel('The change to containers.conf');
    await waitText(change, `volume-manager = "${socket}"`);
    expect(readFileSync(conf, 'utf8')).toBe(before);
    await change.getByRole('button', { name: `Write ${conf}` }).click();
    await waitText(dialog, `${conf} names this server already.`);
    expect(readFileSync(conf, 'utf8')).toBe(`${before}\n[engine.volume_plugins]\nvolume-manager = "${socket}"\n`);
    await waitText(dialog.getByLabel('Commands'), 'docker run --rm -it --volume-driver volume-manager -v box:/data IMAGE sh');
    await page.screenshot({ path: join(SCREENSHOTS, 'containers.png') });
    const { violations } = await new AxeBuilder({ page }).include('.modal').analyze();
    expect(violations.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // podman finds the window's volume, and a container holds it.
    expect(podman.run(['volume', 'reload']).status).toBe(0);
    const c = podman.detached(['-v', 'box:/data', IMAGE, 'sh', '-c', 'echo from-podman > /data/f; sleep 120']);
    await waitText(row(page, 'box'), "used by podman's containers");
    expect(readFileSync(join(state(), 'volumes', 'box', '_data', 'f'), 'utf8')).toBe('from-podman\n');
    const details = await openDetails(page, 'box');
    await waitText(details.locator('dl.facts > div', { hasText: 'Containers' }), `${c.slice(0, 12)}`);
    await page.getByRole('button', { name: 'Close' }).click();

    // The window's Unmount may not take the container's mount: it says who holds it, and does nothing.
    await rowButton(page, 'box', 'Unmount').click();
    await waitText(page.locator('.errors'), "every mount of box left is held by podman's containers");
    expect(mountsUnder(join(state(), 'volumes', 'box'))).toHaveLength(1);

    expect(podman.run(['rm', '-f', '-t', '0', c]).status).toBe(0);
    await waitText(row(page, 'box'), 'not mounted');
    expect(mountsUnder(join(state(), 'volumes', 'box'))).toEqual([]);
  });

  it('removes its socket when the host closes', async () => {
    await app.close();
    app = undefined as unknown as OpenApp;
    expect(existsSync(socket)).toBe(false);
  });
});
