// The create form: one set of fields per type, checked by the engine as you type (the same
// checks and messages as create), and created in one call.

import { useEffect, useMemo, useState } from 'react';
import { asGuided, call } from '../../bridge/api.js';
import { emptyFields, toCreateRequest, type FormFields, type VolumeType } from '../../lib/create-request.js';
import { useErrors } from '../../store/errors.js';
import { useView } from '../../store/view.js';
import { useVolumes } from '../../store/volumes.js';
import { BindFields, DeviceFields, DirectoryFields, NfsFields, PluginFields, SshFields, TmpfsFields, type FieldsProps } from './TypeFields.js';

const TYPES: { value: VolumeType; label: string; Fields: (p: FieldsProps) => React.JSX.Element }[] = [
  { value: 'tmpfs', label: 'tmpfs (memory)', Fields: TmpfsFields },
  { value: 'nfs', label: 'NFS share', Fields: NfsFields },
  { value: 'bind', label: 'Bind a folder', Fields: BindFields },
  { value: 'device', label: 'Device or image file', Fields: DeviceFields },
  { value: 'ssh', label: 'SSH folder (no root needed)', Fields: SshFields },
  { value: 'plugin', label: 'Volume plugin', Fields: PluginFields },
  { value: 'directory', label: 'Plain directory', Fields: DirectoryFields },
];

/** The types that are really mounted; what an elevated mount of them gets is said in the form. */
const MOUNTED_TYPES: VolumeType[] = ['tmpfs', 'nfs', 'bind', 'device'];

const VALIDATE_DELAY_MS = 200;

export function CreateDialog() {
  const [f, setFields] = useState<FormFields>(emptyFields);
  const [problem, setProblem] = useState('');
  const [creating, setCreating] = useState(false);
  const set = (patch: Partial<FormFields>) => setFields((old) => ({ ...old, ...patch }));
  const request = useMemo(() => toCreateRequest(f), [f]);
  const close = () => useView.getState().open('none');

  useEffect(() => {
    if (!f.name) return setProblem('');
    const timer = setTimeout(() => {
      call('volume.validate', request).then(
        () => setProblem(''),
        (err) => setProblem(asGuided(err).happened),
      );
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [request, f.name]);

  const create = async () => {
    setCreating(true);
    try {
      await call('volume.create', request);
      await useVolumes.getState().refresh();
      close();
    } catch (err) {
      const g = asGuided(err);
      setProblem(g.happened);
      if (!['INVALID_NAME', 'INVALID_OPTION', 'VOLUME_EXISTS'].includes(g.code)) useErrors.getState().show({ error: g, subject: request.name, retry: () => void create() });
    } finally {
      setCreating(false);
    }
  };
  const { Fields } = TYPES.find((t) => t.value === f.type)!;
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-label="Create volume">
      <h2>Create volume</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label>
          Name
          <input value={f.name} autoFocus aria-invalid={problem !== ''} aria-describedby="create-problem" onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label>
          Type
          <select aria-label="Type" value={f.type} onChange={(e) => set({ type: e.target.value as VolumeType })}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <Fields f={f} set={set} />
        <label className="check">
          <input type="checkbox" checked={f.mountAtLogin} onChange={(e) => set({ mountAtLogin: e.target.checked })} />
          Mount at login
        </label>
        {f.type === 'ssh' && <p className="form-note">Mounted as you through FUSE (sshfs): no password prompt, no root. The server's host key is checked against your known_hosts.</p>}
        {MOUNTED_TYPES.includes(f.type) && (
          <p className="form-note">
            Not running as root? Volume Manager asks for your password once per action and mounts under /run/volume-manager with <code>nosuid,nodev</code>: setuid
            programs and device files inside this volume get no special rights.
          </p>
        )}
        <p id="create-problem" className="field-error" role="alert" aria-live="polite">
          {problem}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={creating || !f.name || problem !== ''}>
            {creating ? 'Creating…' : 'Create'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
