// The machine the window shows: this computer, or another one reached over SSH. One select,
// labelled, in the header; "Add a machine…" opens the form that adds one.

import { useMachines } from '../store/machines.js';
import { useView } from '../store/view.js';

const ADD = '\u0000add';

export function MachineSwitcher() {
  const machines = useMachines((s) => s.machines);
  const current = useMachines((s) => s.current);
  return (
    <label className="machine">
      Machine
      <select
        value={current}
        onChange={(e) => {
          if (e.target.value === ADD) useView.getState().open('add-machine');
          else void useMachines.getState().switchTo(e.target.value);
        }}
      >
        {machines.map((m) => (
          <option key={m.Name} value={m.Name}>
            {m.Name === '' ? 'This computer' : `${m.Name} (${m.Url})${m.State === 'lost' ? ', not answering' : ''}`}
          </option>
        ))}
        <option value={ADD}>Add a machine…</option>
      </select>
    </label>
  );
}
