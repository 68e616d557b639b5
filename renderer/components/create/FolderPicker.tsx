// The bind form's folder picker: the folders of the machine the engine runs on (in the
// browser host that may be another machine than the browser's, so the browser's own file
// dialog would pick the wrong disk). One folder at a time, from the typed path or home.

import { useEffect, useRef, useState } from 'react';
import type { FolderListing } from '../../../app/api/types.js';
import { asGuided, call } from '../../bridge/api.js';

interface Props {
  /** Where to open: the path typed so far, else the home folder. */
  start: string;
  onPick: (path: string) => void;
  onCancel: () => void;
}

export function FolderPicker({ start, onPick, onCancel }: Props) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [problem, setProblem] = useState('');
  // The path box: where the list is, and where to go when a path is typed there.
  const [typed, setTyped] = useState('');
  // Two quick clicks start two listings; only the last one asked for may land.
  const latest = useRef(0);

  const open = async (path?: string, keepProblem = false) => {
    const ticket = ++latest.current;
    try {
      const found = await call('folder.list', path ? { path } : {});
      if (ticket !== latest.current) return true;
      setListing(found);
      setTyped(found.path);
      if (!keepProblem) setProblem('');
    } catch (err) {
      if (ticket !== latest.current) return true;
      const g = asGuided(err);
      setProblem(`${g.title}: ${g.happened}`);
      return false;
    }
    return true;
  };

  useEffect(() => {
    // A typed path that cannot be listed still opens the picker, at home, with the reason.
    void open(start.trim() || undefined).then((ok) => {
      if (!ok && start.trim()) void open(undefined, true);
    });
    // Opened once per click on Browse; later typing does not move it.
  }, []);

  return (
    <div className="picker" role="group" aria-label="Choose a folder">
      <div className="picker-go">
        <label>
          Folder path
          <input
            type="text"
            aria-label="Folder path"
            value={typed}
            placeholder={listing || problem ? '/path/to/folder' : 'Listing…'}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              // Enter goes there; it must not submit the create form around the picker.
              if (e.key !== 'Enter') return;
              e.preventDefault();
              if (typed.trim()) void open(typed.trim());
            }}
          />
        </label>
        <button type="button" disabled={!typed.trim()} onClick={() => void open(typed.trim())}>
          Go
        </button>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="picker-actions">
        <button type="button" disabled={!listing?.parent} onClick={() => listing?.parent && void open(listing.parent)}>
          Up
        </button>
        <button type="button" className="primary" disabled={!listing} onClick={() => listing && onPick(listing.path)}>
          Use this folder
        </button>
        {/* Not "Cancel": the form has its own, which throws the whole form away. */}
        <button type="button" onClick={onCancel}>
          Close folder list
        </button>
      </div>
      <ul className="picker-list" aria-label="Folders">
        {listing?.folders.map((name) => (
          <li key={name}>
            <button type="button" onClick={() => void open(listing.path === '/' ? `/${name}` : `${listing.path}/${name}`)}>
              {name}
            </button>
          </li>
        ))}
        {listing && listing.folders.length === 0 && <li className="picker-empty">No folders here.</li>}
      </ul>
      {listing?.truncated && <p className="picker-note">Only the first {listing.folders.length} folders are shown; type the rest of the path.</p>}
    </div>
  );
}
