// The fields of each volume type in the create form.

import { createContext, useContext, useEffect, useId, useMemo, useState } from 'react';
import type { NfsExport } from '../../../app/api/types.js';
import { asGuided, call } from '../../bridge/api.js';
import { sshOptions, type FormFields } from '../../lib/create-request.js';
import { TrustHost } from '../TrustHost.js';
import { useDrivers } from '../../store/drivers.js';
import { FolderPicker } from './FolderPicker.js';

export interface FieldsProps {
  f: FormFields;
  set: (patch: Partial<FormFields>) => void;
}

/** A field's problem, once it may be shown (the field was left, or Create was pressed), and how to say it was left. */
export interface FieldCheck {
  problemOf: (field: keyof FormFields) => string | undefined;
  leave: (field: keyof FormFields) => void;
}

export const FieldCheckContext = createContext<FieldCheck>({ problemOf: () => undefined, leave: () => undefined });

/** The wiring of one checked field: its id, its problem's id, and the attributes its control takes. */
export function useFieldCheck(field: keyof FormFields) {
  const { problemOf, leave } = useContext(FieldCheckContext);
  const id = useId();
  const problem = problemOf(field);
  const note = problem ? <p id={`${id}-problem`} className="field-error">{problem}</p> : null;
  const attrs = { 'aria-invalid': problem !== undefined, 'aria-describedby': problem ? `${id}-problem` : undefined, onBlur: () => leave(field) };
  return { note, attrs };
}

interface TextProps {
  label: string;
  field: keyof FormFields;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  hint?: string;
  list?: string;
  autoFocus?: boolean;
}

export function Text({ label, field, value, onChange, placeholder, hint, list, autoFocus }: TextProps) {
  const { note, attrs } = useFieldCheck(field);
  return (
    <div className="field">
      <label>
        {label}
        <input value={value} placeholder={placeholder} list={list} autoFocus={autoFocus} {...attrs} onChange={(e) => onChange(e.target.value)} />
      </label>
      {hint && <p className="form-note">{hint}</p>}
      {note}
    </div>
  );
}

function ReadOnly({ f, set }: FieldsProps) {
  return (
    <label className="check">
      <input type="checkbox" checked={f.readOnly} onChange={(e) => set({ readOnly: e.target.checked })} />
      Read-only
    </label>
  );
}

const Extra = ({ f, set }: FieldsProps) => <Text label="Extra options" field="extraOptions" value={f.extraOptions} placeholder="comma-separated mount options" onChange={(v) => set({ extraOptions: v })} />;

export function TmpfsFields({ f, set }: FieldsProps) {
  return (
    <>
      <Text label="Size" field="size" value={f.size} placeholder="64m" hint="Empty: up to half of this machine's memory, the kernel's default for tmpfs." onChange={(v) => set({ size: v })} />
      <Text label="Mode" field="mode" value={f.mode} placeholder="1777" hint="Empty: 1777, everyone may write and only owners delete." onChange={(v) => set({ mode: v })} />
      <Text label="UID" field="uid" value={f.uid} placeholder="0 (root)" onChange={(v) => set({ uid: v })} />
      <Text label="GID" field="gid" value={f.gid} placeholder="0 (root)" onChange={(v) => set({ gid: v })} />
      <Extra f={f} set={set} />
    </>
  );
}

export function NfsFields({ f, set }: FieldsProps) {
  const [exports, setExports] = useState<NfsExport[] | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const listId = useId();
  const list = async () => {
    if (busy) return;
    setBusy(true);
    setProblem('');
    try {
      const found = await call('nfs.exports', { server: f.server.trim() });
      setExports(found);
      if (found[0] && !f.exportPath) set({ exportPath: found[0].path });
    } catch (err) {
      setExports(null);
      const g = asGuided(err);
      setProblem(`${g.title}: ${g.happened}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Text label="Server" field="server" value={f.server} placeholder="nas.local or 192.168.1.10" onChange={(v) => set({ server: v })} />
      <button type="button" disabled={!f.server.trim()} aria-disabled={busy} onClick={() => void list()}>
        {busy ? 'Asking the server…' : problem ? 'List exports again' : 'List exports'}
      </button>
      {problem && <p className="field-error" role="alert">{problem}</p>}
      <Text label="Export" field="exportPath" value={f.exportPath} placeholder="/srv/share" list={listId} hint={exports ? `${exports.length} export${exports.length === 1 ? '' : 's'} listed: type or pick one.` : 'Type the path, or list the server\'s exports to pick one.'} onChange={(v) => set({ exportPath: v })} />
      <datalist id={listId}>
        {exports?.map((e) => (
          <option key={e.path} value={e.path} label={`for ${e.clients.replace(/^\((.*)\)$/, '$1')}`} />
        ))}
      </datalist>
      <label>
        NFS version
        <select aria-label="NFS version" value={f.nfsVersion} onChange={(e) => set({ nfsVersion: e.target.value })}>
          {['4.2', '4.1', '4', '3'].map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <ReadOnly f={f} set={set} />
      <Extra f={f} set={set} />
    </>
  );
}

export function BindFields({ f, set }: FieldsProps) {
  const [browsing, setBrowsing] = useState(false);
  return (
    <>
      <Text label="Source folder" field="source" value={f.source} placeholder="/srv/data" onChange={(v) => set({ source: v })} />
      {browsing ? (
        <FolderPicker
          start={f.source}
          onPick={(path) => {
            set({ source: path });
            setBrowsing(false);
          }}
          onCancel={() => setBrowsing(false)}
        />
      ) : (
        <button type="button" onClick={() => setBrowsing(true)}>
          Browse folders…
        </button>
      )}
      <ReadOnly f={f} set={set} />
      <Extra f={f} set={set} />
    </>
  );
}

export function DeviceFields({ f, set }: FieldsProps) {
  return (
    <>
      <Text label="Device or image file" field="source" value={f.source} placeholder="/dev/sdb1 or /var/images/disk.img" onChange={(v) => set({ source: v })} />
      <Text label="Filesystem" field="fsType" value={f.fsType} placeholder="ext4 (empty: detect)" onChange={(v) => set({ fsType: v })} />
      <ReadOnly f={f} set={set} />
      <Extra f={f} set={set} />
    </>
  );
}

/** An SSH server's folder, typed or picked from its list over SFTP; an unknown host can be trusted here. */
export function SshFields({ f, set }: FieldsProps) {
  const [listing, setListing] = useState<{ path: string; folders: string[] } | null>(null);
  const [problem, setProblem] = useState('');
  const [unknownHost, setUnknownHost] = useState(false);
  const [busy, setBusy] = useState(false);
  const list = async (path: string) => {
    if (busy) return;
    setBusy(true);
    setProblem('');
    setUnknownHost(false);
    try {
      const r = await call('ssh.folders', { options: sshOptions(f, path), path });
      setListing({ path: r.Path, folders: r.Folders });
      set({ sshPath: r.Path });
    } catch (err) {
      const g = asGuided(err);
      setListing(null);
      setUnknownHost(g.code === 'SSH_HOST_UNKNOWN');
      setProblem(`${g.title}: ${g.happened}`);
    } finally {
      setBusy(false);
    }
  };
  const join = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);
  const parent = (dir: string) => dir.replace(/\/[^/]+$/, '') || '/';
  return (
    <>
      <Text label="Host" field="sshHost" value={f.sshHost} placeholder="build-box.local or 192.168.1.20" onChange={(v) => set({ sshHost: v })} />
      <Text label="User" field="sshUser" value={f.sshUser} placeholder="(your user name)" onChange={(v) => set({ sshUser: v })} />
      <Text label="Port" field="sshPort" value={f.sshPort} placeholder="22" onChange={(v) => set({ sshPort: v })} />
      <Text label="Key file" field="sshKey" value={f.sshKey} placeholder="~/.ssh/id_ed25519 as a full path (empty: ssh-agent)" onChange={(v) => set({ sshKey: v })} />
      <Text label="Remote folder" field="sshPath" value={f.sshPath} placeholder="/home/me/project" onChange={(v) => set({ sshPath: v })} />
      <button type="button" disabled={!f.sshHost.trim()} aria-disabled={busy} onClick={() => void list(f.sshPath.trim() || '/')}>
        {busy ? 'Asking the server…' : 'List remote folders'}
      </button>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {unknownHost && <TrustHost server={{ options: sshOptions(f, '/') }} onTrusted={() => void list(f.sshPath.trim() || '/')} onCancel={() => setUnknownHost(false)} />}
      {listing && (
        <ul className="picker-list" aria-label={`Folders in ${listing.path}`}>
          {listing.path !== '/' && (
            <li>
              <button type="button" onClick={() => void list(parent(listing.path))}>
                ..
              </button>
            </li>
          )}
          {listing.folders.length === 0 && <li className="picker-empty">No folders in {listing.path}; it can be mounted as it is.</li>}
          {listing.folders.map((name) => (
            <li key={name}>
              <button type="button" onClick={() => void list(join(listing.path, name))}>
                {name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ReadOnly f={f} set={set} />
    </>
  );
}

export function PluginFields({ f, set }: FieldsProps) {
  // Select the stored array and filter outside: a selector returning a new array each
  // time would make zustand re-render forever.
  const drivers = useDrivers((s) => s.drivers);
  const plugins = useMemo(() => drivers.filter((d) => d.Name !== 'local' && d.Name !== '-'), [drivers]);
  const { note, attrs } = useFieldCheck('driver');
  const places = useDrivers((s) => s.places);
  useEffect(() => {
    if (plugins.length === 0) void useDrivers.getState().findPlaces();
  }, [plugins.length]);
  return (
    <>
      {plugins.length === 0 && (
        <div className="hint" role="note">
          <p>No volume plugin was found. A plugin is found by its socket or spec in one of these places; start one and it shows here:</p>
          {places && (
            <ul className="places">
              {places.map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <label>
        Driver
        <select aria-label="Driver" value={f.driver} {...attrs} onChange={(e) => set({ driver: e.target.value })}>
          <option value="">choose a plugin</option>
          {plugins.map((d) => (
            <option key={d.Name} value={d.Name}>
              {d.Name}
              {d.Answers ? '' : ' (not answering)'}
            </option>
          ))}
        </select>
      </label>
      {note}
      <label>
        Plugin options
        <textarea aria-label="Plugin options" value={f.pluginOptions} placeholder={'one key=value per line\no=timeout=30 (seconds to wait for the plugin)'} onChange={(e) => set({ pluginOptions: e.target.value })} />
      </label>
    </>
  );
}

export function DirectoryFields({ f, set }: FieldsProps) {
  return (
    <>
      <Text label="UID" field="uid" value={f.uid} placeholder="yours" onChange={(v) => set({ uid: v })} />
      <Text label="GID" field="gid" value={f.gid} placeholder="yours" onChange={(v) => set({ gid: v })} />
    </>
  );
}
