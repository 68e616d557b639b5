// Guided errors: what happened, why, and the steps that fix it. They stack in a region of
// their own that scrolls, so the list stays usable beside them; each one puts its heading and
// its buttons first (the window's own action, then Try again, then Dismiss), so they are
// seen without scrolling inside it, and the command-line steps follow.

import { useEffect, useRef, useState } from 'react';
import { windowActions, type WindowAction } from '../lib/error-actions.js';
import { focusIfFallen, listControl, rowControl } from '../lib/focus.js';
import { localCommand } from '../lib/local-command.js';
import { useCommandLine } from '../store/command-line.js';
import { useErrors, type ShownError } from '../store/errors.js';
import { useForceUnmount } from '../store/force-unmount.js';
import { useRemoval } from '../store/removal.js';
import { useVolumes } from '../store/volumes.js';
import { TrustHost } from './TrustHost.js';

function Step({ text, command: written, n }: { text: string; command?: string; n: number }) {
  const here = useCommandLine((s) => s.here);
  const command = written && localCommand(written, here);
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

const LABELS: Record<WindowAction, string> = { 'force-unmount': 'Force unmount', 'trust-host': 'Trust this host…', retry: 'Try again', refresh: 'Refresh the list', remove: 'Remove…' };

function Panel({ shown, index }: { shown: ShownError; index: number }) {
  const dismiss = useErrors((s) => s.dismiss);
  const [trusting, setTrusting] = useState(false);
  const { error, subject, retry, volume } = shown;
  // The panel goes away with its buttons: the focus goes on to the next problem, or to the
  // volume's row, or to the list.
  const gone = (index: number) => {
    dismiss(index);
    focusIfFallen(() => {
      const panels = document.querySelectorAll<HTMLElement>('.errors .guided-error');
      const next = panels[index] ?? panels[panels.length - 1];
      return next?.querySelector<HTMLElement>('button') ?? (volume === undefined ? null : rowControl(volume));
    });
  };
  const run = (a: WindowAction) => {
    // These two ask first; the error stays until the answer is given and acted on.
    if (a === 'trust-host') return setTrusting(true);
    if (a === 'remove') return useRemoval.getState().ask([volume!]);
    if (a === 'force-unmount') {
      // The panel stays while the question is open; it goes once the unmount is confirmed.
      return void useForceUnmount.getState().ask(volume!, () => {
        dismiss(index);
        focusIfFallen(() => rowControl(volume!));
      });
    }
    gone(index);
    if (a === 'refresh') void useVolumes.getState().refresh(true);
    else retry?.();
  };
  const headingId = `error-${index}-title`;
  return (
    <section className="guided-error" role="alert" aria-labelledby={headingId} data-code={error.code}>
      <div className="error-head">
        <h2 id={headingId} className="wrap">
          <span className="visually-hidden">Error: </span>
          {error.title}
          {subject ? <span className="subject"> — {subject}</span> : null}
        </h2>
        <div className="actions">
          {windowActions(shown)
            .filter((a) => a !== 'trust-host' || !trusting)
            .map((a, i) => (
              <button type="button" key={a} className={i === 0 ? 'primary' : undefined} onClick={() => run(a)}>
                {LABELS[a]}
              </button>
            ))}
          <button type="button" aria-label={`Dismiss: ${error.title}`} onClick={() => gone(index)}>
            Dismiss
          </button>
        </div>
      </div>
      {trusting && volume !== undefined && (
        <TrustHost
          server={{ name: volume }}
          onTrusted={() => {
            gone(index);
            retry?.();
          }}
          onCancel={() => setTrusting(false)}
        />
      )}
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
      <p className="code">{error.code}</p>
    </section>
  );
}

export function GuidedErrors() {
  const shown = useErrors((s) => s.shown);
  const clear = useErrors((s) => s.clear);
  const region = useRef<HTMLElement>(null);
  const newest = shown.at(-1);
  // The newest problem is listed last, in a part of the window that scrolls: its heading and
  // buttons are brought into view when it comes.
  useEffect(() => {
    region.current?.lastElementChild?.scrollIntoView({ block: 'start' });
  }, [newest]);
  if (shown.length === 0) return null;
  return (
    <section ref={region} className="errors" aria-label={shown.length === 1 ? '1 problem' : `${shown.length} problems`}>
      {shown.length > 1 && (
        <div className="errors-head">
          <span>{shown.length} problems, newest last</span>
          <button
            type="button"
            onClick={() => {
              clear();
              focusIfFallen(listControl);
            }}
          >
            Dismiss all
          </button>
        </div>
      )}
      {shown.map((e, i) => (
        <Panel key={`${e.subject}-${e.error.code}-${i}`} shown={e} index={i} />
      ))}
    </section>
  );
}
