// A volume's inspect output: the same JSON as `volume-manager volume inspect NAME`.

import { useEffect, useState } from 'react';
import { asGuided, call } from '../bridge/api.js';
import { useView } from '../store/view.js';

export function InspectDialog({ name }: { name: string }) {
  const [text, setText] = useState('Loading…');
  useEffect(() => {
    call('volume.inspect', { names: [name] }).then(
      (v) => setText(JSON.stringify(v, null, 4)),
      (err) => setText(`${asGuided(err).title}: ${asGuided(err).happened}`),
    );
  }, [name]);
  return (
    <div className="dialog" role="dialog" aria-modal="true" aria-label={`Inspect ${name}`}>
      <h2>Inspect {name}</h2>
      <pre className="inspect">{text}</pre>
      <button type="button" onClick={() => useView.getState().open('none')}>
        Close
      </button>
    </div>
  );
}
