// The shell side of `volume export` and `volume import`: GNU tar, run by bash as whoever
// must act on the volume. The same text runs in three ways:
//
// - `self`, as the process's own user (a plain directory, an SSH volume, a tmpfs the user may
//   write) or as root when the app runs as root: nothing is crossed, GNU tar's own rules hold;
// - `elevated`, as root through polkit, for the volumes whose data only root may touch. Root
//   then trusts nothing the user's process said or prepared: it checks the volume's path as
//   root-script.ts checks a mount target, opens the user's pipe with the user's uid (setpriv),
//   so a path the user names can never make root read or write a file the user could not, and
//   decides on its own which entries to refuse, from GNU tar's listing and from what landed.
//
// An import never writes into the volume directly: GNU tar extracts into a fresh directory
// inside the volume that only the acting user may enter (mode 0700, so nothing can be
// planted in it while tar runs), where GNU tar itself refuses `..`, strips leading `/` and
// keeps symlinks as placeholders until the end. Then every refusal is decided: absolute names,
// `..`, paths through symlinks, hard links to absolute targets, device nodes, symlinks that
// resolve outside. Anything refused, a truncated archive or a cancel (the pipe closed early)
// removes that directory and nothing else, so the volume is as it was. Only a clean archive is
// moved into place, by renames within the volume's filesystem; with replace, the old entries
// are first moved aside and restored if the move fails.
//
// Values reach the script as single-quoted tokens already limited to SAFE_TOKEN, and the
// script checks their shapes again.

import { SAFE_TOKEN } from './commands.js';
import { prelude } from './root-script.js';

/** The directory name prefix an import stages in; hidden from export and from the empty check. */
export const STAGING_PREFIX = '.volume-manager-import.';

export type ArchiveMode = 'self' | 'elevated';

/** `io`: the FIFO to this process, or (an export with this user's rights) the archive file itself. */
export type ArchiveJob =
  | { op: 'export'; mountpoint: string; io: string }
  | { op: 'import'; mountpoint: string; io: string; replace: boolean };

/** Markers the script prints, one per line, for archive-output.ts. */
export const MARK = {
  started: '@@vm-archive',
  refused: '@@vm-refused',
  notEmpty: '@@vm-not-empty',
  tar: '@@vm-tar',
  done: '@@vm-done',
  replaceFailed: '@@vm-replace-failed',
} as const;

// String.raw keeps bash's backslashes as written; `\${` stands for bash's own `${`.
const functions = String.raw`
vm_mode=$1
vm_gid=
if [ "$vm_mode" = elevated ]; then
  [[ $vm_uid =~ ^[0-9]+$ ]] || { vm_fail "the caller's uid is unknown (no PKEXEC_UID)"; exit 1; }
  vm_gid=$(getent passwd "$vm_uid" | cut -d: -f4)
  [[ $vm_gid =~ ^[0-9]+$ ]] || { vm_fail "uid $vm_uid has no group"; exit 1; }
fi

# Runs "$@" with the caller's uid when elevated: what the caller names, the caller opens.
vm_as_caller() {
  if [ "$vm_mode" = elevated ]; then setpriv --reuid="$vm_uid" --regid="$vm_gid" --clear-groups -- "$@"; else "$@"; fi
}

vm_paths() {
  [[ $1 =~ ^/ && $2 =~ ^/ && ! $1/$2/ =~ /\.\./ ]] || { vm_fail "refusing paths $1 $2"; return 1; }
  [[ $1 =~ ${SAFE_TOKEN.source} && $2 =~ ${SAFE_TOKEN.source} ]] || { vm_fail "refusing paths $1 $2"; return 1; }
  if [ "$vm_mode" = elevated ]; then
    vm_target "$1" check || return 1
    mountpoint -q -- "$1" || { vm_fail "$1 is not mounted"; return 1; }
  fi
  [ -d "$1" ] && [ ! -L "$1" ] || { vm_fail "$1 is not a directory"; return 1; }
}

# An import as root (through polkit, or by the app running as root) makes, renames and
# removes entries in the volume's top directory, so no one but root may rename there while it
# does: the directory must be root's, and writable by others only with the sticky bit (which
# keeps them off root's entries). A user imports into a folder of their own as themselves.
vm_volume_top() {
  local owner mode
  read -r owner mode <<<"$(stat -c '%u %a' -- "$1")" || return 1
  [ "$owner" = 0 ] || { vm_fail "$1 is owned by uid $owner, not by root: root imports only where no one else can rename"; return 1; }
  [[ $mode =~ ^[0-7]+$ ]] || { vm_fail "cannot read the mode of $1"; return 1; }
  if (( 8#$mode & 8#022 )) && ! (( 8#$mode & 8#1000 )); then vm_fail "$1 (mode $mode) lets others than root rename in it"; return 1; fi
}

# The entries of the volume's top level that are the person's: not lost+found, not staging.
vm_entries() { find "$1" -mindepth 1 -maxdepth 1 ! -name lost+found ! -name '${STAGING_PREFIX}*' "\${@:2}"; }

# Staging directories a killed import left behind; called before each import.
vm_clear_stale() { find "$1" -mindepth 1 -maxdepth 1 -type d -name '${STAGING_PREFIX}*' -exec rm -rf -- {} + 2>/dev/null; }

vm_export() {
  local mnt=$1 io=$2 errf rc
  vm_paths "$mnt" "$io" || return 1
  errf=$(mktemp) || return 1
  if [ "$vm_mode" = elevated ]; then
    tar -C "$mnt" -cf - --anchored --exclude='./${STAGING_PREFIX}*' --exclude=./lost+found . 2>"$errf" | vm_as_caller dd of="$io" bs=64K status=none 2>>"$errf"
    local st=("\${PIPESTATUS[@]}")
    rc=\${st[0]}
    [ "\${st[1]}" = 0 ] || rc=2
  else
    tar -C "$mnt" -cf "$io" --anchored --exclude='./${STAGING_PREFIX}*' --exclude=./lost+found . 2>"$errf"
    rc=$?
  fi
  sed "s/^/${MARK.tar} /" "$errf"; rm -f -- "$errf"
  # 1: a file changed while it was read, which GNU tar reports and archives anyway.
  [ "$rc" -le 1 ] && echo "${MARK.done}"
}

# Prints one refusal per entry from GNU tar's listing ($1), its messages ($2) and the
# staged tree ($3); returns 1 when there is any.
vm_refusals() {
  local list=$1 errf=$2 stage=$3 found=0 links targets i
  # Listing lines (tar -v): each member's name as the archive holds it.
  local listed
  listed=$(awk -v m='${MARK.refused}' '/^\// { print m " absolute\t" $0 }' "$list")
  [ -z "$listed" ] || { printf '%s\n' "$listed"; found=1; }
  while IFS= read -r line; do
    case $line in
      *": Member name contains '..'") echo "${MARK.refused} dotdot	\${line%: Member name*}"; found=1 ;;
      *": Cannot open: Not a directory"|*": Cannot open: Too many levels of symbolic links") echo "${MARK.refused} through-symlink	\${line%: Cannot open*}"; found=1 ;;
      *": Cannot hard link to "*) echo "${MARK.refused} hard-link	\${line%: Cannot hard link*}"; found=1 ;;
      *": Cannot mknod: "*) echo "${MARK.refused} device	\${line%: Cannot mknod*}"; found=1 ;;
      *"Removing leading \`/' from hard link targets") echo "${MARK.refused} hard-link-absolute	(a hard link with an absolute target)"; found=1 ;;
      *"Removing leading"*|"Exiting with failure status due to previous errors") ;;
      *) echo "${MARK.tar} $line" ;;
    esac
  done < <(sed 's/^tar: //' "$errf")
  while IFS= read -r -d '' i; do echo "${MARK.refused} device	\${i#"$stage"/}"; found=1; done < <(find "$stage" \( -type b -o -type c \) -print0)
  mapfile -d '' links < <(find "$stage" -type l -print0)
  if [ \${#links[@]} -gt 0 ]; then
    mapfile -d '' targets < <(realpath -z -m -- "\${links[@]}")
    for i in "\${!links[@]}"; do
      case \${targets[$i]} in "$stage"|"$stage"/*) ;; *) echo "${MARK.refused} symlink-outside	\${links[$i]#"$stage"/} -> $(readlink -- "\${links[$i]}")"; found=1 ;; esac
    done
  fi
  [ "$found" = 0 ]
}

# Moves the staged entries into the volume; with replace, the old ones go aside first and come
# back if anything fails. Called once the staged tree passed vm_refusals.
vm_commit() {
  local mnt=$1 stage=$2 replace=$3 aside='' e staged
  mapfile -d '' staged < <(find "$stage" -mindepth 1 -maxdepth 1 -printf '%f\0')
  if [ "$replace" = 1 ]; then
    aside=$(mktemp -d -- "$mnt/${STAGING_PREFIX}XXXXXXXX") || return 1
    if ! vm_entries "$mnt" ! -path "$aside" ! -path "$stage" -exec mv -t "$aside" -- {} + 2>&1; then
      echo "${MARK.replaceFailed}"
      find "$aside" -mindepth 1 -maxdepth 1 -exec mv -n -t "$mnt" -- {} + ; rmdir -- "$aside"
      return 1
    fi
  fi
  [ \${#staged[@]} -eq 0 ] || mv -n -t "$mnt" -- "\${staged[@]/#/$stage/}" 2>&1
  if [ -n "$(find "$stage" -mindepth 1 -maxdepth 1 -printf x -quit)" ]; then
    # Something took a name while the import ran: take back what moved, then the old entries.
    for e in "\${staged[@]}"; do [ -e "$stage/$e" ] || [ -L "$stage/$e" ] || mv -T -- "$mnt/$e" "$stage/$e"; done
    [ -z "$aside" ] || { find "$aside" -mindepth 1 -maxdepth 1 -exec mv -n -t "$mnt" -- {} + ; rmdir -- "$aside"; }
    echo "${MARK.replaceFailed}"
    return 1
  fi
  [ -z "$aside" ] || rm -rf -- "$aside"
}

vm_import() {
  local mnt=$1 io=$2 replace=$3 stage work list errf rc n
  vm_paths "$mnt" "$io" || return 1
  [ "$(id -u)" != 0 ] || vm_volume_top "$mnt" || return 1
  vm_clear_stale "$mnt"
  if [ "$replace" != 1 ]; then
    n=$(vm_entries "$mnt" -printf x | wc -c)
    [ "$n" = 0 ] || { echo "${MARK.notEmpty} $n $(find "$mnt" -mindepth 1 -maxdepth 1 -name '${STAGING_PREFIX}*' -prune -o -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"; return 1; }
  fi
  stage=$(mktemp -d -- "$mnt/${STAGING_PREFIX}XXXXXXXX") || return 1
  # tar's listing and messages, in a directory of the actor's own.
  work=$(mktemp -d) || { rm -rf -- "$stage"; return 1; }
  list=$work/list errf=$work/errors
  : >"$work/read-errors"
  if [ "$vm_mode" = elevated ]; then
    # Root reads the user's FIFO only through a cat with the user's uid, and tar reads a pipe:
    # given a path, GNU tar would reopen it as root to decompress what it holds.
    set -o pipefail
    vm_as_caller cat -- "$io" 2>"$work/read-errors" | tar -x -v -p --no-same-owner --no-overwrite-dir -f - -C "$stage" >"$list" 2>"$errf"
    rc=$?
    set +o pipefail
  else
    # -B: a FIFO gives what is there, not whole records.
    tar -x -v -B -p --no-overwrite-dir -f "$io" -C "$stage" >"$list" 2>"$errf"
    rc=$?
  fi
  sed "s/^/${MARK.tar} /" "$work/read-errors"
  if ! vm_refusals "$list" "$errf" "$stage" || [ "$rc" != 0 ]; then
    rm -rf -- "$stage" "$work"
    return 1
  fi
  # Never a setuid or setgid bit into a volume the user's own uid fills, nor any owner but
  # the user's into one root fills for the user.
  if [ "$vm_mode" = elevated ] || [ "$(id -u)" != 0 ]; then find "$stage" ! -type l -perm /6000 -exec chmod ug-s -- {} +; fi
  [ "$vm_mode" != elevated ] || chown -R -P -h -- "$vm_uid:$vm_gid" "$stage"
  n=$(grep -cv 'Creating directory:' "$list")
  rm -rf -- "$work"
  vm_commit "$mnt" "$stage" "$replace" || { rm -rf -- "$stage"; return 1; }
  rmdir -- "$stage"
  echo "${MARK.done} $n"
}
`;

const quote = (token: string) => `'${token}'`;

/** The whole script for one job; run by `bash -s`-free means: it needs no standard input. */
export function archiveScript(job: ArchiveJob, mode: ArchiveMode): string {
  for (const v of [job.mountpoint, job.io]) {
    if (!SAFE_TOKEN.test(v) || !v.startsWith('/')) throw new Error(`refusing archive path ${JSON.stringify(v)}`);
  }
  const call = job.op === 'export' ? `vm_export ${quote(job.mountpoint)} ${quote(job.io)}` : `vm_import ${quote(job.mountpoint)} ${quote(job.io)} ${job.replace ? 1 : 0}`;
  return `${prelude(false)}\necho ${MARK.started}\nset -- ${mode}\n${functions.replaceAll('\\${', '${')}\n${call}\n`;
}
