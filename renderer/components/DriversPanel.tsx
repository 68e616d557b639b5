// The drivers: local and each plugin with whether it answers, its scope, where it was found.
// Folded under its summary (which says how many do not answer), so the volumes keep the room
// in a small window; open, it scrolls within a part of the window.

import { useState } from 'react';
import { asGuided, call } from '../bridge/api.js';
import { useDrivers } from '../store/drivers.js';
import { useErrors } from '../store/errors.js';
import { useVolumes } from '../store/volumes.js';

export function DriversPanel() {
  const drivers = useDrivers((s) => s.drivers);
  const [report, setReport] = useState('');
  const reload = async () => {
    try {
      const r = await call('volume.reload', {});
      setReport(`Added: ${r.Added.join(', ') || 'none'}. Removed: ${r.Removed.join(', ') || 'none'}.${r.Errors.length ? ` ${r.Errors.length} problem(s), shown above.` : ''}`);
      for (const e of r.Errors) useErrors.getState().show({ error: e.Error, subject: e.Volume ?? e.Driver, retry: () => void reload() });
    } catch (err) {
      useErrors.getState().show({ error: asGuided(err), subject: 'reload', retry: () => void reload() });
    }
    await useVolumes.getState().refresh(true);
  };
  const silent = drivers.filter((d) => !d.Answers).length;
  return (
    <details className="drivers">
      <summary>
        Drivers ({drivers.length}
        {silent ? `, ${silent} not answering` : ''})
      </summary>
      <div className="drivers-body">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>State</th>
              <th>Scope</th>
              <th>Found at</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {drivers.map((d) => (
              <tr key={`${d.Name}-${d.Source}`} aria-label={`Driver ${d.Name}`}>
                <td>{d.Name}</td>
                <td>{d.Answers ? 'answers' : 'not answering'}</td>
                <td>{d.Scope ?? ''}</td>
                <td>{d.Address ?? d.Source}</td>
                <td>{d.Error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => void reload()}>
          Reload plugin volumes
        </button>
        {report && <p role="status">{report}</p>}
      </div>
    </details>
  );
}
