// A guided error said inside the dialog that got it, where the person is looking: what
// happened, why, and the steps that fix it.

import type { GuidedErrorData } from '../../app/errors/guided-error.js';

export function InlineError({ error }: { error: GuidedErrorData }) {
  return (
    <div className="inline-error" role="alert">
      <strong>{error.title}</strong>: {error.happened}. {error.why}
      {error.steps.length > 0 && (
        <ol>
          {error.steps.map((s, i) => (
            <li key={i}>
              {s.text} {s.command && <code>{s.command}</code>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
