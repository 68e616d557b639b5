// "Trust this host": shows the key the SSH server offers now, and records it in known_hosts
// only when the person, having compared it, says so. Offered for an unknown host only; a
// changed key is never trusted from the window.

import { useEffect, useState } from 'react';
import type { SshServerRequest } from '../../app/api/contract.js';
import type { SshHostKeys } from '../../app/api/types.js';
import { asGuided, call } from '../bridge/api.js';

export function TrustHost({ server, onTrusted, onCancel }: { server: SshServerRequest; onTrusted: () => void; onCancel: () => void }) {
  const [keys, setKeys] = useState<SshHostKeys | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    call('ssh.hostKeys', server).then(setKeys, (err) => setProblem(`${asGuided(err).title}: ${asGuided(err).happened}`));
    // The server is fixed for the life of this component.
  }, []);
  const trust = async (fingerprint: string) => {
    if (busy) return;
    setBusy(true);
    try {
      await call('ssh.trust', { ...server, fingerprint });
      onTrusted();
    } catch (err) {
      setProblem(`${asGuided(err).title}: ${asGuided(err).happened}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="trust-host" role="group" aria-label="Trust this host">
      {!keys && !problem && <p>Asking the server for its key…</p>}
      {keys && (
        <>
          <p>
            {keys.Host} offers the key <code>{keys.Fingerprints[0]}</code>. Compare it with the fingerprint its administrator gives you before you trust it.
          </p>
          <button type="button" className="primary" aria-disabled={busy} onClick={() => void trust(keys.Fingerprints[0]!)}>
            Trust {keys.Host}
          </button>
        </>
      )}
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
