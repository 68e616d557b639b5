// A volume's details: what the row shows and what it has no room for (mount options, the
// counter and what Unmount does, who holds the mount, the plugin's state), the same inspect
// JSON as `volume-manager volume inspect NAME`, mount at login, and export and import.

import { useEffect, useRef, useState } from 'react';
import type { VolumeContents, VolumeInspect } from '../../app/api/types.js';
import { asGuided, call } from '../bridge/api.js';
import { focusIfFallen, rowMenuButton } from '../lib/focus.js';
import { formatBytes } from '../../app/api/bytes.js';
import { linesOf } from '../lib/create-request.js';
import { createdOf, mountOptionsOf, sourceOf, statusOf, unmountEffect, usageOf, usedByOf } from '../lib/volume-facts.js';
import { useErrors } from '../store/errors.js';
import { useTransfers } from '../store/transfers.js';
import { useView } from '../store/view.js';
import { EditVolume } from './EditVolume.js';
import { Modal } from './Modal.js';
import { TransfersPanel } from './TransfersPanel.js';

function Facts({ v, contents }: { v: VolumeInspect; contents: VolumeContents | null }) {
  const holders = contents?.Holders;
  const rows: [string, string][] = [
    ['Status', statusOf(v)],
    ['Driver', v.Driver],
    ['Type', v.Kind],
    ['Source', sourceOf(v)],
    ['Mount options', mountOptionsOf(v)],
    ['Labels', Object.keys(v.Labels).length ? linesOf(v.Labels).split('\n').join(', ') : '(none)'],
    ['Created', createdOf(v, true)],
    ['Mountpoint', v.Mountpoint || '(shown while mounted)'],
    ['Mount count', unmountEffect(v) ?? String(v.MountCount)],
  ];
  if (v.Usage) rows.push(['Used', usageOf(v)]);
  // Where no statfs says it (a plain directory, which is never mounted), what it holds is counted.
  else if (contents?.Loses === 'files') rows.push(['Holds', contents.Entries === undefined ? 'too many files to count in time' : `${contents.Entries === 1 ? '1 file or folder' : `${contents.Entries} files and folders`} (${formatBytes(contents.Bytes ?? 0)})`]);
  else if (v.Kind === 'tmpfs' && !v.Mounted) rows.push(['Holds', 'nothing while unmounted: a tmpfs keeps its files in memory only while mounted']);
  if (v.Mounted || v.MountCount > 0) rows.push(['Held by', holders === undefined ? 'looking…' : holders.length ? holders.join('; ') : 'no process of yours works inside it']);
  if (v.UsedBy) {
    const named = v.Containers?.map((c) => `${c.Name} (${c.Engine} ${c.ID.slice(0, 12)})`).join(', ');
    rows.push(['Containers', named ? `${usedByOf(v.UsedBy)}: ${named}` : usedByOf(v.UsedBy)]);
  }
  if (v.Plugin) rows.push(['Plugin', [v.Plugin.State, v.Plugin.Address, v.Plugin.Error].filter(Boolean).join(' · ')]);
  if (v.Reconciled) rows.push(['Corrected', v.Reconciled]);
  return (
    <dl className="facts">
      {rows.map(([k, value]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function DetailsDialog({ name }: { name: string }) {
  const [view, setView] = useState<VolumeInspect | null>(null);
  const [contents, setContents] = useState<VolumeContents | null>(null);
  const [text, setText] = useState('Loading…');
  const load = () =>
    call('volume.inspect', { names: [name] }).then(
      (v) => {
        setView(v[0]!);
        setText(JSON.stringify(v, null, 4));
        return call('volume.contents', { names: [name] }).then((c) => setContents(c[0] ?? null));
      },
      (err) => setText(`${asGuided(err).title}: ${asGuided(err).happened}`),
    );
  useEffect(() => void load().catch(() => setContents(null)), [name]);
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
  const close = () => {
    useView.getState().open('none');
    // Opened from a right click, the dialog has no opener to give the focus back to.
    focusIfFallen(() => rowMenuButton(name));
  };
  return (
    <Modal label={`Details of ${name}`} role="dialog" className="details" onCancel={close}>
      <h2 className="wrap">Details of {name}</h2>
      {view && <Facts v={view} contents={contents} />}
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
      {view && (
        <details>
          <summary>Change options and labels</summary>
          <EditVolume key={`${view.Name}-${JSON.stringify(view.Options)}-${JSON.stringify(view.Labels)}`} v={view} onSaved={load} />
        </details>
      )}
      <details>
        <summary>Inspect (JSON, as the command line prints it)</summary>
        <pre className="inspect">
          {text}
        </pre>
      </details>
      <div className="actions">
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
