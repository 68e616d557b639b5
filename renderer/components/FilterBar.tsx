// Search and filters over the list; all in memory, so typing stays instant at 10,000 rows.

import { useView } from '../store/view.js';

const KINDS = ['tmpfs', 'nfs', 'bind', 'device', 'sshfs', 'directory', 'plugin', 'other'];
const STATUSES = ['mounted', 'not mounted', 'always ready', 'stale', 'plugin missing', 'plugin not answering'];

/** One filter: its label is also its accessible name; the empty value shows every volume. */
function Choice({ label, all, values, value, onChange }: { label: string; all: string; values: string[]; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {values.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </label>
  );
}

export function FilterBar() {
  const { text, kind, status, label, setFilter } = useView();
  return (
    <div className="filters">
      <label>
        Search
        <input type="search" aria-label="Search" value={text} placeholder="name or source" onChange={(e) => setFilter({ text: e.target.value })} />
      </label>
      <Choice label="Filter by type" all="all types" values={KINDS} value={kind} onChange={(v) => setFilter({ kind: v })} />
      <Choice label="Filter by status" all="any status" values={STATUSES} value={status} onChange={(v) => setFilter({ status: v })} />
      <label>
        Filter by label
        <input type="search" aria-label="Filter by label" value={label} placeholder="key or key=value" onChange={(e) => setFilter({ label: e.target.value })} />
      </label>
    </div>
  );
}
