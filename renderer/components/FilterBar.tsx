// Search and filters over the list; all in memory, so typing stays instant at 10,000 rows.

import { useView } from '../store/view.js';

const KINDS = ['tmpfs', 'nfs', 'bind', 'device', 'directory', 'plugin', 'other'];
const STATUSES = ['mounted', 'not mounted', 'stale', 'plugin missing', 'plugin not answering'];

export function FilterBar() {
  const { text, kind, status, setFilter } = useView();
  return (
    <div className="filters">
      <label>
        Search
        <input type="search" aria-label="Search" value={text} placeholder="name or source" onChange={(e) => setFilter({ text: e.target.value })} />
      </label>
      <label>
        Filter by type
        <select aria-label="Filter by type" value={kind} onChange={(e) => setFilter({ kind: e.target.value })}>
          <option value="">all types</option>
          {KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label>
        Filter by status
        <select aria-label="Filter by status" value={status} onChange={(e) => setFilter({ status: e.target.value })}>
          <option value="">any status</option>
          {STATUSES.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
    </div>
  );
}
