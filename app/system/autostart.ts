// The XDG autostart entry that brings `login` volumes back: present while at least one volume
// of a state directory has the login policy, gone when none has. One entry per state
// directory, named by its store id, so two stores of one user never fight over it.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { autostartUnsafe } from '../errors/catalogue.js';

export interface AutostartTarget {
  /** The argv that runs `volume restore` for this state directory, absolute paths. */
  exec: string[];
  /** Where autostart entries go: $XDG_CONFIG_HOME/autostart, default ~/.config/autostart. */
  dir?: string;
}

export const autostartDir = (env: NodeJS.ProcessEnv = process.env) => join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');

export const autostartFile = (dir: string, storeId: string) => join(dir, `volume-manager-restore-${storeId}.desktop`);

/**
 * One argument of an Exec line, as the Desktop Entry Specification quotes it: plain when it
 * holds nothing reserved, else in double quotes with ", `, $ and \ escaped; % is doubled.
 */
export function execArg(arg: string): string {
  const doubled = arg.replaceAll('%', '%%');
  if (/^[A-Za-z0-9_./:@+,=-]+$/.test(doubled)) return doubled;
  // The quoting rule escapes ", `, $ and \ with a backslash, and the string rule then doubles
  // every backslash: \\" for a quote, four backslashes for one.
  return `"${doubled.replace(/\\/g, '\\\\\\\\').replace(/(["`$])/g, '\\\\$1')}"`;
}

// C0 controls and DEL: a newline would end the Exec line and start another key (a second
// Exec=, which the session runs), and the specification allows none of them in a value.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Throws a guided error when any argument holds a control character; called before a login
 * policy is saved, so a path that cannot go into the entry is refused, not half-applied.
 */
export function assertAutostartable(exec: string[]): void {
  const bad = exec.find((arg) => CONTROL.test(arg));
  if (bad !== undefined) throw autostartUnsafe(bad);
}

export function desktopEntry(exec: string[]): string {
  assertAutostartable(exec);
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Volume Manager: restore volumes',
    'Comment=Mounts the volumes set to come back at login',
    `Exec=${exec.map(execArg).join(' ')}`,
    'Terminal=false',
    'NoDisplay=true',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes or removes the entry so that it exists exactly when `wanted`; leaves an identical one alone. */
export function syncAutostart(target: AutostartTarget, storeId: string, wanted: boolean): void {
  const file = autostartFile(target.dir ?? autostartDir(), storeId);
  if (!wanted) return void rmSync(file, { force: true });
  const text = desktopEntry(target.exec);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  mkdirSync(target.dir ?? autostartDir(), { recursive: true, mode: 0o755 });
  writeFileSync(file, text, { mode: 0o644 });
}
