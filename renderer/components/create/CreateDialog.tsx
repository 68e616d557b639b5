// The create form: one set of fields per type. Each field says what is wrong with it, in the
// user's words (lib/field-checks.ts), once it was left or Create was pressed; the engine then
// checks the whole request as you type (the same checks as create, for what only it can know,
// such as a folder that does not exist, or a name taken), and what it refuses is said at its
// field too (lib/engine-field.ts); it is created in one call.

import { useEffect, useMemo, useRef, useState } from 'react';
import { asGuided, call } from '../../bridge/api.js';
import { emptyFields, toCreateRequest, type FormFields, type VolumeType } from '../../lib/create-request.js';
import { useCommandLine } from '../../store/command-line.js';
import { useErrors } from '../../store/errors.js';
import { useView } from '../../store/view.js';
import { useVolumes } from '../../store/volumes.js';
import { Modal } from '../Modal.js';
import { fieldProblems } from '../../lib/field-checks.js';
import { fieldOfRefusal, type FieldRefusal } from '../../lib/engine-field.js';
import type { GuidedErrorData } from '../../../app/errors/guided-error.js';
import { BindFields, DeviceFields, DirectoryFields, FieldCheckContext, NfsFields, PluginFields, SshFields, Text, TmpfsFields, type FieldsProps } from './TypeFields.js';

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
  // Where the engine is root, nothing asks for a password: the note about it would mislead.
  const root = useCommandLine((s) => s.here?.Root ?? false);
  const [f, setFields] = useState<FormFields>(emptyFields);
  // The engine's refusal: at its field when it has one, else in the line above Create.
  const [refusal, setRefusal] = useState<FieldRefusal | null>(null);
  const [problem, setProblem] = useState('');
  const [creating, setCreating] = useState(false);
  const [left, setLeft] = useState<ReadonlySet<keyof FormFields>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const set = (patch: Partial<FormFields>) => setFields((old) => ({ ...old, ...patch }));
  const request = useMemo(() => toCreateRequest(f), [f]);
  const problems = useMemo(() => fieldProblems(f), [f]);
  const fieldsOk = Object.keys(problems).length === 0;
  const check = useMemo(
    () => ({
      problemOf: (k: keyof FormFields) => (submitted || left.has(k) ? (problems[k] ?? (refusal?.field === k ? refusal.text : undefined)) : undefined),
      leave: (k: keyof FormFields) => setLeft((s) => (s.has(k) ? s : new Set([...s, k]))),
    }),
    [problems, left, submitted, refusal],
  );
  const close = () => useView.getState().open('none');
  // Escape on a form the person typed into asks first; Cancel is an answer already.
  const [askingDiscard, setAskingDiscard] = useState(false);
  const typed = useMemo(() => {
    const empty = emptyFields();
    return (Object.keys(f) as (keyof FormFields)[]).some((k) => k !== 'type' && typeof f[k] === 'string' && f[k] !== empty[k]);
  }, [f]);
  const escape = () => (typed ? setAskingDiscard(true) : close());

  const refused = (g: GuidedErrorData) => {
    const at = fieldOfRefusal(g, f);
    setRefusal(at);
    setProblem(at ? '' : g.happened);
    return at;
  };
  useEffect(() => {
    if (!fieldsOk) {
      setRefusal(null);
      return setProblem('');
    }
    const timer = setTimeout(() => {
      call('volume.validate', request).then(
        () => {
          setRefusal(null);
          setProblem('');
        },
        (err) => refused(asGuided(err)),
      );
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
    // `refused` reads the fields the request was made of: `request` changes with them.
  }, [request, fieldsOk]);

  const form = useRef<HTMLFormElement>(null);
  const create = async () => {
    if (creating) return;
    setSubmitted(true);
    // The problems render with this state change; the first one's field takes the focus.
    const focusFirst = () => setTimeout(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    if (!fieldsOk || refusal) return focusFirst();
    if (problem) return;
    setCreating(true);
    try {
      await call('volume.create', request);
      await useVolumes.getState().refresh();
      close();
    } catch (err) {
      const g = asGuided(err);
      if (refused(g)) focusFirst();
      if (!['INVALID_NAME', 'INVALID_OPTION', 'VOLUME_EXISTS'].includes(g.code)) useErrors.getState().show({ error: g, subject: request.name, retry: () => void create() });
    } finally {
      setCreating(false);
    }
  };
  const { Fields } = TYPES.find((t) => t.value === f.type)!;
  return (
    <Modal label="Create volume" role="dialog" className="create" onCancel={escape}>
      <h2>Create volume</h2>
      {askingDiscard && (
        <div className="discard" role="alert">
          <p>Discard the new volume{f.name.trim() ? ` ${f.name.trim()}` : ''}? What you typed is lost.</p>
          <button type="button" autoFocus onClick={() => setAskingDiscard(false)}>
            Keep editing
          </button>
          <button type="button" className="danger" onClick={close}>
            Discard
          </button>
        </div>
      )}
      <FieldCheckContext.Provider value={check}>
        <form
          ref={form}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <Text label="Name" field="name" value={f.name} autoFocus onChange={(name) => set({ name })} />
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
          <label>
            Labels
            <textarea aria-label="Labels" value={f.labels} placeholder={'one key=value per line, as --label takes them\nteam=build'} onChange={(e) => set({ labels: e.target.value })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={f.mountAtLogin} onChange={(e) => set({ mountAtLogin: e.target.checked })} />
            Mount at login
          </label>
          {f.type === 'ssh' && <p className="form-note">Mounted as you through FUSE (sshfs): no password prompt, no root. The server's host key is checked against your known_hosts.</p>}
          {MOUNTED_TYPES.includes(f.type) && !root && (
            <p className="form-note">
              Not running as root? Volume Manager asks for your password once per action and mounts under /run/volume-manager with <code>nosuid,nodev</code>: setuid
              programs and device files inside this volume get no special rights.
            </p>
          )}
          <p id="create-problem" className="field-error" role="alert" aria-live="polite">
            {fieldsOk && (submitted || left.size > 0) ? problem : ''}
          </p>
          <div className="actions">
            {/* Pending, not disabled: a disabled button drops the focus onto the page, out of the dialog. */}
            <button type="submit" className="primary" aria-disabled={creating}>
              {creating ? 'Creating…' : 'Create'}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      </FieldCheckContext.Provider>
    </Modal>
  );
}
