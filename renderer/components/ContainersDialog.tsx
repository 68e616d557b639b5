// "Use in containers": whether podman and Docker can reach the volumes (the plugin server),
// serving from the window's process when nothing else does, the lines podman's
// containers.conf needs (and writing them there once the change was shown), and ready
// commands for one volume. Every answer is shown here, in the dialog.

import { useEffect, useState } from 'react';
import type { ConfChange, ContainerServing } from '../../app/api/types.js';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { asGuided, call } from '../bridge/api.js';
import { usedByOf } from '../lib/volume-facts.js';
import { useView } from '../store/view.js';
import { useVolumes } from '../store/volumes.js';
import { InlineError } from './InlineError.js';
import { Modal } from './Modal.js';

/** Any image with a shell; the person replaces it with theirs. */
const IMAGE = 'IMAGE';

function stateText(s: ContainerServing): string {
  if (s.State === 'window') return `Serving on ${s.Socket} from this window, until it closes.`;
  if (s.State === 'other') return `Served on ${s.Socket} by another process (volume-manager plugin serve, the systemd user unit, or another window).`;
  return s.Socket ? `Not serving: nothing answers on ${s.Socket}.` : 'Not serving.';
}

export function ContainersDialog() {
  const volumes = useVolumes((s) => s.volumes);
  const selected = useVolumes((s) => s.selected);
  const [status, setStatus] = useState<ContainerServing | null>(null);
  const [error, setError] = useState<GuidedErrorData | null>(null);
  const [change, setChange] = useState<ConfChange | null>(null);
  const [said, setSaid] = useState('');
  const [picked, setVolume] = useState('');
  // The list may arrive after the dialog opened: until one is picked, the selected or the first.
  const volume = picked || ([...selected][0] ?? volumes[0]?.Name ?? '');
  const close = () => useView.getState().open('none');
  const act = async (what: () => Promise<void>) => {
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(asGuided(err));
    }
  };
  useEffect(() => void act(async () => setStatus(await call('containers.status', {}))), []);
  const serve = () => act(async () => setStatus(await call('containers.serve', {})));
  const showChange = () => act(async () => setChange(await call('containers.confChange', {})));
  const write = () =>
    act(async () => {
      const { Path } = await call('containers.confWrite', { before: change!.Before });
      setChange(null);
      setSaid(`Written to ${Path}. podman uses the volumes as driver volume-manager now.`);
      setStatus(await call('containers.status', {}));
    });
  const v = volumes.find((x) => x.Name === volume);
  return (
    <Modal label="Use in containers" role="dialog" className="details" onCancel={close}>
      <h2>Use in containers</h2>
      <p role="status">{status ? stateText(status) : 'Looking…'}</p>
      {error && <InlineError error={error} />}
      {status?.Error && <InlineError error={status.Error} />}
      {status?.State === 'none' && status.Socket && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => void serve()}>
            Serve from this window
          </button>
        </div>
      )}
      {status?.Socket && (
        <>
          <h3>podman</h3>
          <p>
            {status.ContainersConf.Configured
              ? `${status.ContainersConf.Path} names this server already.`
              : `podman finds the server through these lines in ${status.ContainersConf.Path}:`}
          </p>
          {status.ContainersConf.Problem && <p className="inline-error">{status.ContainersConf.Problem}</p>}
          <pre className="inspect" aria-label="containers.conf lines">
            {status.PodmanLines}
          </pre>
          {!status.ContainersConf.Configured && !change && (
            <div className="actions">
              <button type="button" onClick={() => void showChange()}>
                Add them to {status.ContainersConf.Path}…
              </button>
            </div>
          )}
          {change && (
            <div className="conf-change" aria-label="The change to containers.conf">
              <p>
                {change.Before ? `${change.Path} becomes:` : `${change.Path} does not exist yet; it is made with:`}
              </p>
              <pre className="inspect">{change.After}</pre>
              <div className="actions">
                <button type="button" onClick={() => setChange(null)}>
                  Cancel
                </button>
                <button type="button" className="primary" onClick={() => void write()}>
                  Write {change.Path}
                </button>
              </div>
            </div>
          )}
          {said && <p role="status">{said}</p>}
          <h3>Docker</h3>
          <p>
            {status.DockerFinds
              ? 'Docker finds the server by itself, as the volume plugin volume-manager.'
              : 'Docker runs as root and finds plugins in /run/docker/plugins: serve as root for Docker (sudo volume-manager plugin serve), over root\'s own volumes.'}
          </p>
        </>
      )}
      {volumes.length > 0 && (
        <>
          <h3>
            <label>
              Commands for{' '}
              <select value={volume} onChange={(e) => setVolume(e.target.value)} aria-label="Volume for the commands">
                {volumes.map((x) => (
                  <option key={x.Name} value={x.Name}>
                    {x.Name}
                  </option>
                ))}
              </select>
            </label>
          </h3>
          {v?.UsedBy && <p>{usedByOf(v.UsedBy)}.</p>}
          <pre className="inspect" aria-label="Commands">
            {`# podman (podman volume reload, once, finds the volumes made here)\npodman volume reload\npodman run --rm -it -v ${volume}:/data ${IMAGE} sh\n\n# Docker\ndocker run --rm -it --volume-driver volume-manager -v ${volume}:/data ${IMAGE} sh`}
          </pre>
        </>
      )}
      <p className="note">When this window is closed, containers reach the volumes through <code>volume-manager plugin serve</code> or its systemd user unit (see the README).</p>
      <div className="actions">
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
