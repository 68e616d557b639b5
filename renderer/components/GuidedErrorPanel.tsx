// A guided error: what happened, why, and the numbered steps with their commands to copy.

import { useState } from 'react';
import { useErrors, type ShownError } from '../store/errors.js';
import { TrustHost } from './TrustHost.js';

function Step({ text, command, n }: { text: string; command?: string; n: number }) {
  return (
    <li>
      <span>{text}</span>
      {command && (
        <div className="command">
          <code>{command}</code>
          <button type="button" aria-label={`Copy command ${n}`} onClick={() => void navigator.clipboard?.writeText(command)}>
            Copy
          </button>
        </div>
      )}
    </li>
  );
}

function Panel({ shown, index }: { shown: ShownError; index: number }) {
  const dismiss = useErrors((s) => s.dismiss);
  const [trusting, setTrusting] = useState(false);
  const { error, subject, retry } = shown;
  // An unknown SSH host of a volume can be trusted here, after comparing its key; a changed
  // key (SSH_HOST_CHANGED) never can.
  const trustable = error.code === 'SSH_HOST_UNKNOWN' && shown.volume !== undefined;
  return (
    <section className="guided-error" role="alert" aria-label={`Error: ${error.title}`} data-code={error.code}>
      <h2>
        {error.title}
        {subject ? <span className="subject"> — {subject}</span> : null}
      </h2>
      <p className="label">What happened</p>
      <pre className="happened">{error.happened}</pre>
      <p className="label">Why</p>
      <p>{error.why}</p>
      <p className="label">How to fix it</p>
      <ol>
        {error.steps.map((s, i) => (
          <Step key={i} n={i + 1} text={s.text} command={s.command} />
        ))}
      </ol>
      {trusting && shown.volume !== undefined && (
        <TrustHost
          server={{ name: shown.volume }}
          onTrusted={() => {
            dismiss(index);
            retry?.();
          }}
          onCancel={() => setTrusting(false)}
        />
      )}
      <div className="actions">
        {trustable && !trusting && (
          <button type="button" onClick={() => setTrusting(true)}>
            Trust this host…
          </button>
        )}
        {retry && (
          <button
            type="button"
            onClick={() => {
              dismiss(index);
              retry();
            }}
          >
            Try again
          </button>
        )}
        <button type="button" onClick={() => dismiss(index)}>
          Dismiss
        </button>
      </div>
      <p className="code">{error.code}</p>
    </section>
  );
}

export function GuidedErrors() {
  const shown = useErrors((s) => s.shown);
  if (shown.length === 0) return null;
  return (
    <div className="errors">
      {shown.map((e, i) => (
        <Panel key={`${e.subject}-${e.error.code}-${i}`} shown={e} index={i} />
      ))}
    </div>
  );
}
