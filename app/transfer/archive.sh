# shellcheck shell=bash
# The shell side of `volume export` and `volume import`: GNU tar, run by bash as whoever must
# act on the volume, after root-prelude.sh and a header of constants (archive-script.ts:
# VM_MARK_*, VM_STAGING_PREFIX, VM_ASIDE_PREFIX) and with the mode as $1. The same text runs:
#
# - `self`, as the process's own user, or as root when the app runs as root: nothing is
#   crossed, GNU tar's own rules hold;
# - `elevated`, as root through polkit, only for a tmpfs root mounted for the volume, whose
#   data root made (vm_own_tmpfs checks it). Root then trusts nothing the user's process said
#   or prepared: it checks the volume's path as a mount target is checked, opens the user's
#   pipe with the user's uid (setpriv), and decides on its own which entries to refuse, from
#   GNU tar's listing and from what landed. A bind, a device or an export holds the caller's
#   data, which the caller reads and writes itself (archive-mode.ts).
#
# Every function works relative to the volume's directory, which vm_enter makes the working
# directory once it is checked: an unmount, a remount or a rename cannot redirect what follows.
#
# An import never writes into the volume directly: GNU tar extracts into a stage of its own
# (0700, named with the import's id), where GNU tar itself refuses `..`, strips leading `/`
# and keeps symlinks as placeholders until the end. Then every refusal is decided: absolute
# names, `..`, paths through symlinks, hard links to absolute targets, device nodes, symlinks
# that resolve outside. Anything refused, a truncated archive, a cancel (the pipe closed
# early) or a volume that changed under the import removes the stage and nothing else. Only a
# clean archive is moved into place, by renames; with replace, the old entries are first moved
# aside and restored if the move fails.
#
# Values reach the script as single-quoted tokens already limited to SAFE_TOKEN, and the
# script checks their shapes again.
# shellcheck disable=SC2154  # the VM_* constants, vm_uid, vm_gid and vm_work come from before

vm_mode=$1
if [ "$vm_mode" = elevated ]; then
  [[ $vm_uid =~ ^[0-9]+$ ]] || { vm_fail "the caller's uid is unknown (no PKEXEC_UID)"; exit 1; }
  [[ $vm_gid =~ ^[0-9]+$ ]] || { vm_fail "uid $vm_uid has no group"; exit 1; }
fi

# Runs "$@" with the caller's uid when elevated: what the caller names, the caller opens.
vm_as_caller() {
  if [ "$vm_mode" = elevated ]; then setpriv --reuid="$vm_uid" --regid="$vm_gid" --init-groups -- "$@"; else "$@"; fi
}

# Runs "$@" (a cat or dd of the caller's FIFO $1, as the caller) and ends it if it has not
# opened the FIFO within 30 s: a caller that died before opening its end, or never will, leaves
# no process of root's waiting for it. Once open, the caller's end closing ends it.
vm_opened_within() {
  local io=$1 pid i f opened=0
  shift
  "$@" &
  pid=$!
  for ((i = 0; i < 600 && !opened; i++)); do
    for f in /proc/"$pid"/fd/*; do [ "$(readlink -- "$f" 2>/dev/null)" != "$io" ] || opened=1; done
    ((opened)) || { kill -0 "$pid" 2>/dev/null || break; sleep 0.05; }
  done
  ((opened)) || kill "$pid" 2>/dev/null
  wait "$pid"
}

# Root reads and writes data itself only in a tmpfs it mounted for the volume: a file system
# mounted nowhere else, from its own root, so no path leads from it to data root keeps from the
# caller (a bind or a device is the caller's data, which the caller reads and writes itself).
vm_own_tmpfs() {
  local line
  line=$(awk -v mp="$1" '$5 == mp { id = $3; root = $4; for (i = 7; i <= NF; i++) if ($i == "-") { fs = $(i + 1); break } } END { if (id != "") print id, root, fs }' /proc/self/mountinfo)
  read -r vm_dev vm_fsroot vm_fstype <<<"$line"
  [ "$vm_fstype" = tmpfs ] && [ "$vm_fsroot" = / ] || { vm_fail "$1 is not a tmpfs of the volume's own: root reads and writes only data it made"; return 1; }
  [ "$(awk -v id="$vm_dev" '$3 == id' /proc/self/mountinfo | wc -l)" = 1 ] || { vm_fail "$1 shares its file system with another mount"; return 1; }
}

# Checks the volume's path and makes it this script's working directory, which pins it: a
# later unmount, remount or rename cannot redirect anything done relative to ".".
vm_enter() {
  [[ $1 =~ ^/ && $2 =~ ^/ && ! $1/$2/ =~ /\.\./ ]] || { vm_fail "refusing paths $1 $2"; return 1; }
  [[ $1 =~ $VM_SAFE_TOKEN && $2 =~ $VM_SAFE_TOKEN ]] || { vm_fail "refusing paths $1 $2"; return 1; }
  if [ "$vm_mode" = elevated ]; then
    vm_target "$1" check || return 1
    mountpoint -q -- "$1" || { vm_fail "$1 is not mounted"; return 1; }
    vm_own_tmpfs "$1" || return 1
  fi
  [ -d "$1" ] && [ ! -L "$1" ] || { vm_fail "$1 is not a directory"; return 1; }
  cd -P -- "$1" || return 1
  vm_pinned=$(stat -c %d:%i .)
  [ "$vm_mode" != elevated ] || vm_own_tmpfs "$1" || return 1
  vm_still "$1"
}

# Whether the path still leads to the directory vm_enter pinned, mounted as it was.
vm_still() {
  [ "$(stat -c %d:%i -- "$1" 2>/dev/null)" = "$vm_pinned" ] || { vm_fail "$1 was unmounted, remounted or moved while root worked in it; nothing was changed there"; return 1; }
}

# An import as root (through polkit, or by the app running as root) makes, renames and
# removes entries in the volume's top directory, so no one but root may rename there while it
# does: the directory must be root's, and writable by others only with the sticky bit (which
# keeps them off root's entries). A user imports into a folder of their own as themselves.
vm_volume_top() {
  local mode
  vm_owned_by_root "$1" || return 1
  mode=$(stat -c %a -- "$1") || return 1
  if (( 8#$mode & 8#022 )) && ! (( 8#$mode & 8#1000 )); then vm_fail "$1 (mode $mode) lets others than root rename in it"; return 1; fi
}

# The entries of the volume's top level that are the person's: all but lost+found and this
# import's own stage and aside.
vm_entries() { find . -mindepth 1 -maxdepth 1 ! -name lost+found ! -name "$vm_stage" ! -name "$vm_aside" "$@"; }
# Every file and folder the volume holds, at any depth: what an import would replace.
vm_all_entries() { find . -mindepth 1 \( -path ./lost+found -o -path "./$vm_stage" -o -path "./$vm_aside" \) -prune -o "$@"; }

# What an import killed before its end left, named by its id ($1, from the transfer's record):
# its stage goes; what its replace had moved aside comes back where no new entry took the name
# (an aside that cannot be emptied stays, in sight). Root removes only directories it made.
vm_clear_stale() {
  local stage=$VM_STAGING_PREFIX$1 aside=$VM_ASIDE_PREFIX$1
  [[ $1 =~ ^[0-9a-f]{16}$ ]] || return 0
  if [ -d "$aside" ] && [ ! -L "$aside" ] && vm_made_here "$aside"; then
    find "$aside" -mindepth 1 -maxdepth 1 -exec mv -n -t . -- {} + 2>/dev/null
    rmdir -- "$aside" 2>/dev/null
  fi
  if [ -d "$stage" ] && [ ! -L "$stage" ] && vm_made_here "$stage"; then rm -rf -- "$stage"; fi
}

# A directory this script's kind of actor made: as root, root's own and private.
vm_made_here() { [ "$(id -u)" != 0 ] || [ "$(stat -c '%u %a' -- "$1")" = '0 700' ]; }

# Archives the current directory's entries to "$1" ("-": standard output) as podman's export
# names them: a.txt, sub/, sub/b, with no "./" and no entry for the volume itself, and without
# a top-level lost+found. Names are read literally (--verbatim-files-from), whatever they hold.
# With --one-file-system, an entry that is a mount of its own is left out as tar leaves out
# what is below it: tar stays in each name it is given, and these names are given one by one.
vm_tar_entries() {
  local out=$1 dev entry one=no
  shift
  [ "${1:-}" = --one-file-system ] && one=yes
  dev=$(stat -c %d .)
  find . -mindepth 1 -maxdepth 1 ! -name lost+found -printf '%D %P\0' | LC_ALL=C sort -z |
    while IFS= read -r -d '' entry; do
      [ "$one" = no ] || [ "${entry%% *}" = "$dev" ] && printf '%s\0' "${entry#* }"
    done | tar -cf "$out" "$@" --null --verbatim-files-from -T -
}

vm_export() {
  local mnt=$1 io=$2 stale=$3 errf=$vm_work/errors rc
  vm_stage='' vm_aside=''
  vm_enter "$mnt" "$io" || return 1
  vm_clear_stale "$stale"
  if [ "$vm_mode" = elevated ]; then
    vm_tar_entries - --one-file-system 2>"$errf" | vm_opened_within "$io" vm_as_caller dd of="$io" bs=64K status=none 2>>"$errf"
    local st=("${PIPESTATUS[@]}")
    rc=${st[0]}
    [ "${st[1]}" = 0 ] || rc=2
  else
    vm_tar_entries "$io" 2>"$errf"
    rc=$?
  fi
  sed "s/^/$VM_MARK_TAR /" "$errf"
  # 1: a file changed while it was read, which GNU tar reports and archives anyway.
  [ "$rc" -le 1 ] && echo "$VM_MARK_DONE"
}

# Prints one refusal per entry from GNU tar's listing ($1), its messages ($2) and the
# staged tree ($3); returns 1 when there is any.
vm_refusals() {
  local list=$1 errf=$2 stage=$3 found=0 links targets i
  # Listing lines (tar -v): each member's name as the archive holds it.
  local listed
  listed=$(awk -v m="$VM_MARK_REFUSED" '/^\// { print m " absolute\t" $0 }' "$list")
  [ -z "$listed" ] || { printf '%s\n' "$listed"; found=1; }
  while IFS= read -r line; do
    case $line in
      *": Member name contains '..'") echo "$VM_MARK_REFUSED dotdot	${line%: Member name*}"; found=1 ;;
      *": Cannot open: Not a directory"|*": Cannot open: Too many levels of symbolic links") echo "$VM_MARK_REFUSED through-symlink	${line%: Cannot open*}"; found=1 ;;
      *": Cannot hard link to "*) echo "$VM_MARK_REFUSED hard-link	${line%: Cannot hard link*}"; found=1 ;;
      *": Cannot mknod: "*) echo "$VM_MARK_REFUSED device	${line%: Cannot mknod*}"; found=1 ;;
      *"Removing leading \`/' from hard link targets") echo "$VM_MARK_REFUSED hard-link-absolute	(a hard link with an absolute target)"; found=1 ;;
      *"Removing leading"*|"Exiting with failure status due to previous errors") ;;
      *) echo "$VM_MARK_TAR $line" ;;
    esac
  done < <(sed 's/^tar: //' "$errf")
  while IFS= read -r -d '' i; do echo "$VM_MARK_REFUSED device	${i#"$stage"/}"; found=1; done < <(find "$stage" \( -type b -o -type c \) -print0)
  mapfile -d '' links < <(find "$stage" -type l -print0)
  if [ ${#links[@]} -gt 0 ]; then
    local here
    here=$(pwd -P)
    mapfile -d '' targets < <(realpath -z -m -- "${links[@]}")
    for i in "${!links[@]}"; do
      case ${targets[$i]} in "$here/$stage"|"$here/$stage"/*) ;; *) echo "$VM_MARK_REFUSED symlink-outside	${links[$i]#"$stage"/} -> $(readlink -- "${links[$i]}")"; found=1 ;; esac
    done
  fi
  [ "$found" = 0 ]
}

# Moves the staged entries into the volume (the pinned working directory); with replace, the
# old ones go aside first and come back if anything fails. Called once the staged tree passed
# vm_refusals, while the stage is still the actor's alone.
vm_commit() {
  local stage=$1 replace=$2 e staged
  mapfile -d '' staged < <(find "$stage" -mindepth 1 -maxdepth 1 -printf '%f\0')
  if [ "$replace" = 1 ]; then
    mkdir -m 0700 -- "$vm_aside" || return 1
    if ! vm_entries -exec mv -t "$vm_aside" -- {} + 2>&1; then
      echo "$VM_MARK_REPLACE_FAILED"
      find "$vm_aside" -mindepth 1 -maxdepth 1 -exec mv -n -t . -- {} + ; rmdir -- "$vm_aside"
      return 1
    fi
  fi
  [ ${#staged[@]} -eq 0 ] || mv -n -t . -- "${staged[@]/#/$stage/}" 2>&1
  if [ -n "$(find "$stage" -mindepth 1 -maxdepth 1 -printf x -quit)" ]; then
    # Something took a name while the import ran: take back what moved, then the old entries.
    for e in "${staged[@]}"; do [ -e "$stage/$e" ] || [ -L "$stage/$e" ] || mv -T -- "./$e" "$stage/$e"; done
    [ "$replace" != 1 ] || { find "$vm_aside" -mindepth 1 -maxdepth 1 -exec mv -n -t . -- {} + ; rmdir -- "$vm_aside"; }
    echo "$VM_MARK_REPLACE_FAILED"
    return 1
  fi
  [ "$replace" != 1 ] || rm -rf -- "$vm_aside"
}

vm_import() {
  local mnt=$1 io=$2 replace=$3 stale=$5 list=$vm_work/list errf=$vm_work/errors rc n
  vm_stage=$VM_STAGING_PREFIX$4 vm_aside=$VM_ASIDE_PREFIX$4
  [[ $4 =~ ^[0-9a-f]{16}$ ]] || { vm_fail "refusing stage id $4"; return 1; }
  vm_enter "$mnt" "$io" || return 1
  [ "$(id -u)" != 0 ] || vm_volume_top . || return 1
  vm_clear_stale "$stale"
  if [ "$replace" != 1 ]; then
    n=$(vm_all_entries -printf x | wc -c)
    [ "$n" = 0 ] || { echo "$VM_MARK_NOT_EMPTY $n $(vm_all_entries -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"; return 1; }
  fi
  # Only the actor may enter the stage while tar fills it and until its entries are moved.
  mkdir -m 0700 -- "$vm_stage" || return 1
  : >"$vm_work/read-errors"
  if [ "$vm_mode" = elevated ]; then
    # Root reads the user's FIFO only through a cat with the user's uid, and tar reads a pipe:
    # given a path, GNU tar would reopen it as root to decompress what it holds.
    set -o pipefail
    vm_opened_within "$io" vm_as_caller cat -- "$io" 2>"$vm_work/read-errors" | tar -x -v -p --no-same-owner --no-overwrite-dir -f - -C "./$vm_stage" >"$list" 2>"$errf"
    rc=$?
    set +o pipefail
  else
    # -B: a FIFO gives what is there, not whole records.
    tar -x -v -B -p --no-overwrite-dir -f "$io" -C "./$vm_stage" >"$list" 2>"$errf"
    rc=$?
  fi
  sed "s/^/$VM_MARK_TAR /" "$vm_work/read-errors"
  if ! vm_refusals "$list" "$errf" "$vm_stage" || [ "$rc" != 0 ] || ! vm_still "$mnt"; then
    rm -rf -- "$vm_stage"
    return 1
  fi
  # Never a setuid or setgid bit into a volume the user's own uid fills, nor any owner but
  # the user's into one root fills for the user; the stage itself stays root's until it is empty.
  if [ "$vm_mode" = elevated ] || [ "$(id -u)" != 0 ]; then find "$vm_stage" ! -type l -perm /6000 -exec chmod ug-s -- {} +; fi
  [ "$vm_mode" != elevated ] || find "$vm_stage" -mindepth 1 -exec chown -h -- "$vm_uid:$vm_gid" {} +
  n=$(grep -cv 'Creating directory:' "$list")
  vm_commit "$vm_stage" "$replace" || { rm -rf -- "$vm_stage"; return 1; }
  rmdir -- "$vm_stage"
  echo "$VM_MARK_DONE $n"
}
