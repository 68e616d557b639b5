// Adds another machine: a name, its ssh:// address and, where the key is not ssh's default, an
// identity file. A server whose key is not known yet shows its fingerprints to compare, and is
// trusted only when the person says so, as the SSH volume form does. Every answer is said here.

import { useState } from 'react';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { asGuided, callHere } from '../bridge/api.js';
import { useMachines } from '../store/machines.js';
import { useView } from '../store/view.js';
import { InlineError } from './InlineError.js';
import { Modal } from './Modal.js';

/** An SSH volume's options for the machine's server: its host key is what is compared and trusted. */
function serverOptions(url: string): Record<string, string> {
  const m = /^ssh:\/\/(?:([^@/]+)@)?([^/:]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(url.trim());
  if (!m) return {};
  return { type: 'sshfs', device: `${m[1] ? `${m[1]}@` : ''}${m[2]}:/`, o: `port=${m[3] ?? 22}` };
}

export function AddMachineDialog() {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('ssh://');
  const [identity, setIdentity] = useState('');
  const [error, setError] = useState<GuidedErrorData | null>(null);
  const [keys, setKeys] = useState<{ Host: string; Fingerprints: string[] } | null>(null);
  const [working, setWorking] = useState(false);
  const close = () => useView.getState().open('none');
  const add = async () => {
    if (working) return;
    setWorking(true);
    setError(null);
    try {
      const info = await useMachines.getState().add(name.trim(), url.trim(), identity.trim() || undefined);
      if (info.State === 'connected') return close();
      setError(info.Error ?? null);
      if (info.Error?.code === 'SSH_HOST_UNKNOWN') setKeys(await callHere('ssh.hostKeys', { options: serverOptions(url) }));
    } catch (err) {
      setError(asGuided(err));
    } finally {
      setWorking(false);
    }
  };
  const trust = async () => {
    try {
      await callHere('ssh.trust', { options: serverOptions(url), fingerprint: keys!.Fingerprints[0]! });
      setKeys(null);
      await add();
    } catch (err) {
      setError(asGuided(err));
    }
  };
  return (
    <Modal label="Add a machine" role="dialog" onCancel={close}>
      <h2>Add a machine</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" />
        </label>
        <label>
          Address
          <input value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="ssh://me@build-server:22" />
        </label>
        <label>
          Identity file (optional)
          <input value={identity} onChange={(e) => setIdentity(e.target.value)} placeholder="/home/me/.ssh/id_ed25519" />
        </label>
        {error && <InlineError error={error} />}
        {keys && (
          <div className="trust" aria-label="The server's keys">
            <p>
              {keys.Host} offers {keys.Fingerprints.join(', ')}. Compare it with the one its administrator gives you.
            </p>
            <button type="button" onClick={() => void trust()}>
              Trust this host
            </button>
          </div>
        )}
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" aria-disabled={working}>
            Add
          </button>
        </div>
      </form>
    </Modal>
  );
}
