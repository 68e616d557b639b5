// A volume's inspect output: the same JSON as `volume-manager volume inspect NAME`, and its
// mount policy, which is what can change after create.

import { useEffect, useRef, useState } from 'react';
import type { VolumeInspect } from '../../app/api/types.js';
import { asGuided, call } from '../bridge/api.js';
import { useErrors } from '../store/errors.js';
import { useTransfers } from '../store/transfers.js';
import { TransfersPanel } from './TransfersPanel.js';
import { useView } from '../store/view.js';

export function InspectDialog({ name }: { name: string }) {
  const [view, setView] = useState<VolumeInspect | null>(null);
  const [text, setText] = useState('Loading…');
  const load = () =>
    call('volume.inspect', { names: [name] }).then(
      (v) => {
        setView(v[0]!);
        setText(JSON.stringify(v, null, 4));
      },
      (err) => setText(`${asGuided(err).title}: ${asGuided(err).happened}`),
    );
  useEffect(() => void load(), [name]);
  const setPolicy = async (login: boolean) => {
    try {
      await call('volume.set', { name, mountAt: login ? 'login' : 'manual' });
      await load();
    } catch (err) {
      useErrors.getState().show({ error: asGuided(err), subject: name, volume: name });
    }
  };
  const picker = useRef<HTMLInputElement>(null);
  const { exportVolume, importVolume } = useTransfers.getState();
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-label={`Inspect ${name}`}>
      <h2>Inspect {name}</h2>
      <div className="actions">
        <button type="button" onClick={() => void exportVolume(name)}>
          Export…
        </button>
        <button type="button" onClick={() => picker.current?.click()}>
          Import…
        </button>
        <input
          ref={picker}
          type="file"
          accept=".tar,application/x-tar"
          hidden
          aria-label={`Archive to import into ${name}`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importVolume(name, file);
          }}
        />
      </div>
      <TransfersPanel name={name} />
      {view && (
        <label className="check">
          <input type="checkbox" checked={view.MountAt === 'login'} onChange={(e) => void setPolicy(e.target.checked)} />
          Mount at login
        </label>
      )}
      <pre className="inspect">{text}</pre>
      <button type="button" onClick={() => useView.getState().open('none')}>
        Close
      </button>
    </div>
  );
}
