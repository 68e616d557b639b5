// The script polkit runs as root. What the password prompt authorises is a root bash
// (`pkexec /bin/bash -c ...`), so the guarantees live here, in the script, not in the
// user's process, which anything running as the user can tamper with:
//
// - a mount or unmount target must be ELEVATED_ROOT/UID/STORE/NAME, UID being the caller's
//   own uid as pkexec (or sudo) reports it, never a value from the request;
// - every directory from / down to the target is checked to be a real directory, owned by
//   root and writable by no one else, before anything acts on it; root creates the missing
//   levels itself, so no path the user can change is ever followed, and umount acts on the
//   very path that was checked;
// - every mount gets nosuid,nodev last in its option list (the last one wins), as udisks
//   does for the mounts it makes for users;
// - `--` ends the options of mount and umount, and no value may start with "-".
//
// Values are single-quoted tokens that commands.ts has already limited to a set with no shell
// syntax; the script checks their shapes again, since it cannot trust its caller.

import { ELEVATED_ROOT } from './elevated-targets.js';
import { SAFE_TOKEN, type Step } from './commands.js';

/** What the script prints before every refusal of its own, for the driver to classify. */
export const ROOT_REFUSAL = 'volume-manager (root): ';

const root = ELEVATED_ROOT;
const rootPattern = ELEVATED_ROOT.replaceAll('/', '\\/');

/** The functions every batch starts with; no value of the request appears in it. */
export function prelude(stopBetweenCheckAndAct: boolean): string {
  return `set -u
export LC_ALL=C
PATH=/usr/sbin:/usr/bin:/sbin:/bin
umask 022
exec </dev/null
vm_uid=\${PKEXEC_UID:-\${SUDO_UID:-}}
vm_stop=${stopBetweenCheckAndAct ? 1 : 0}

vm_fail() { echo "${ROOT_REFUSAL}$*"; return 1; }

# A real directory, owned by root, that neither group nor others may write.
vm_root_dir() {
  local owner mode
  if [ -L "$1" ] || [ ! -d "$1" ]; then vm_fail "$1 is not a directory"; return 1; fi
  read -r owner mode <<<"$(stat -c '%u %a' -- "$1")" || return 1
  [ "$owner" = 0 ] || { vm_fail "$1 is owned by uid $owner, not by root"; return 1; }
  [[ $mode =~ ^[0-7]+$ ]] || { vm_fail "cannot read the mode of $1"; return 1; }
  if (( 8#$mode & 8#022 )); then vm_fail "$1 (mode $mode) is writable by others than root"; return 1; fi
}

# $1 must be the caller's own target; with $2 = create, missing levels are made as root and
# the target itself must be an empty root-owned directory, not yet a mountpoint; otherwise
# (unmount) every level above it is checked and the target's name must not be a symlink.
vm_target() {
  local target=$1 make=$2 dir='' i last parts
  [[ $vm_uid =~ ^[0-9]+$ ]] || { vm_fail "the caller's uid is unknown (no PKEXEC_UID)"; return 1; }
  [[ $target =~ ^${rootPattern}/([0-9]+)/([0-9a-f]{16})/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})$ ]] || { vm_fail "refusing $target: not a volume target under ${root}"; return 1; }
  [ "\${BASH_REMATCH[1]}" = "$vm_uid" ] || { vm_fail "refusing $target: it belongs to uid \${BASH_REMATCH[1]}, the caller is uid $vm_uid"; return 1; }
  vm_root_dir / || return 1
  IFS=/ read -ra parts <<<"\${target#/}"
  last=$(( \${#parts[@]} - 1 ))
  for i in "\${!parts[@]}"; do
    dir="$dir/\${parts[$i]}"
    if [ "$i" -eq "$last" ] && [ "$make" != create ]; then
      [ ! -L "$dir" ] || { vm_fail "$dir is a symlink"; return 1; }
      return 0
    fi
    if [ "$make" = create ] && [ ! -e "$dir" ] && [ ! -L "$dir" ]; then mkdir -m 0755 -- "$dir" 2>/dev/null || [ -d "$dir" ] || { vm_fail "cannot create $dir"; return 1; }; fi
    vm_root_dir "$dir" || return 1
  done
  if mountpoint -q -- "$target"; then vm_fail "$target is already a mountpoint"; return 1; fi
}

vm_token() { [[ $2 =~ ${SAFE_TOKEN.source} ]] || { vm_fail "refusing $1 $2"; return 1; }; }

# mount -t $2 -o $3,nosuid,nodev -- $4 $1; "auto" lets mount detect the type, "" is no options.
vm_mount() {
  local target=$1 type=$2 opts=$3 source=$4
  [[ $type =~ ^[a-z0-9][a-z0-9._+-]{0,31}$ ]] || { vm_fail "refusing type $type"; return 1; }
  [ -z "$opts" ] || vm_token options "$opts" || return 1
  vm_token source "$source" || return 1
  vm_target "$target" create || return 1
  [ "$vm_stop" = 0 ] || kill -STOP $$
  mount -t "$type" -o "\${opts:+$opts,}nosuid,nodev" -- "$source" "$target" && return 0
  local rc=$?
  rmdir -- "$target" 2>/dev/null
  return $rc
}

# umount [-l] -- $1; the emptied target (and its store directory, when empty) is removed.
vm_umount() {
  local target=$1 rc=0
  vm_target "$target" check || return 1
  [ "$vm_stop" = 0 ] || kill -STOP $$
  if [ "$2" = lazy ]; then umount -l -- "$target" || rc=$?; else umount -- "$target" || rc=$?; fi
  if [ -d "$target" ] && ! mountpoint -q -- "$target"; then rmdir -- "$target" 2>/dev/null; rmdir -- "\${target%/*}" 2>/dev/null; fi
  return $rc
}

vm_step() { local id=$1; shift; echo "@@vm-begin $id"; "$@" 2>&1 && echo "@@vm-ok $id"; }
`;
}

const quote = (token: string) => `'${token}'`;

/** One step as a call into the prelude's checked functions. */
export function callOf(step: Step): string {
  if (step.op === 'umount') return ['vm_umount', quote(step.target), step.lazy ? 'lazy' : 'plain'].join(' ');
  return ['vm_mount', quote(step.target), quote(step.type ?? 'auto'), quote(step.options.join(',')), quote(step.source)].join(' ');
}
