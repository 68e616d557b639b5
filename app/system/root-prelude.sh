# shellcheck shell=bash
# The functions every root batch starts with (root-script.ts puts a header of constants
# before them: VM_REFUSAL, VM_ROOT, VM_SAFE_TOKEN, VM_DISK_TYPES, vm_stop). What the password
# prompt authorises is a root bash, so the guarantees live here, not in the user's process:
#
# - a mount or unmount target must be $VM_ROOT/UID/STORE/NAME, UID being the caller's own
#   uid as pkexec (or sudo) reports it, never a value from the request;
# - every directory from / down to the target is checked to be a real directory, owned by
#   root and writable by no one else, before anything acts on it; root creates the missing
#   levels itself, and umount acts on the very path that was checked;
# - every mount gets nosuid,nodev last in its option list (the last one wins);
# - `--` ends the options of mount and umount, and no value may start with "-";
# - only kernel file systems that run no helper program are mounted (mount -i; NFS's
#   mount.nfs is the one helper), never fuse.*, and no option reaches beyond the volume;
# - what the caller brings (a directory to bind, an image, a block device) is opened with the
#   caller's own rights, and root mounts the object that open gave (/proc/self/fd/N), never
#   the path again: the prompt grants the mount, not access the caller did not have.
#
# Values arrive as single-quoted tokens that commands.ts limited to a set with no shell
# syntax; every function checks their shapes again, since it cannot trust its caller.
# shellcheck disable=SC2154  # the VM_* constants and vm_stop come from the header

vm_uid=${PKEXEC_UID:-${SUDO_UID:-}}
vm_target_re="^$VM_ROOT/([0-9]+)/([0-9a-f]{16})/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})\$"
vm_gid=
[[ ! $vm_uid =~ ^[0-9]+$ ]] || vm_gid=$(getent passwd "$vm_uid" | cut -d: -f4)

vm_fail() { echo "$VM_REFUSAL$*"; return 1; }

# @test-hook (build.mjs --release replaces it with a no-op): stops here for a test that swaps
# paths between the check and the act, and resumes the script (app/system/fault-points.ts).
vm_stop_here() { [ "$vm_stop" = 0 ] || kill -STOP $$; }
# @end-test-hook

# The one ownership check: $1 belongs to root.
vm_owned_by_root() {
  local owner
  owner=$(stat -c %u -- "$1") || return 1
  [ "$owner" = 0 ] || { vm_fail "$1 is owned by uid $owner, not by root"; return 1; }
}

# A real directory, owned by root, that neither group nor others may write.
vm_root_dir() {
  local mode
  if [ -L "$1" ] || [ ! -d "$1" ]; then vm_fail "$1 is not a directory"; return 1; fi
  vm_owned_by_root "$1" || return 1
  mode=$(stat -c %a -- "$1") || return 1
  [[ $mode =~ ^[0-7]+$ ]] || { vm_fail "cannot read the mode of $1"; return 1; }
  if (( 8#$mode & 8#022 )); then vm_fail "$1 (mode $mode) is writable by others than root"; return 1; fi
}

# $1 must be the caller's own target; with $2 = create, missing levels are made as root and
# the target itself must be an empty root-owned directory, not yet a mountpoint; otherwise
# (unmount) every level above it is checked and the target's name must not be a symlink.
vm_target() {
  local target=$1 make=$2 dir='' i last parts
  [[ $vm_uid =~ ^[0-9]+$ ]] || { vm_fail "the caller's uid is unknown (no PKEXEC_UID)"; return 1; }
  [[ $target =~ $vm_target_re ]] || { vm_fail "refusing $target: not a volume target under $VM_ROOT"; return 1; }
  [ "${BASH_REMATCH[1]}" = "$vm_uid" ] || { vm_fail "refusing $target: it belongs to uid ${BASH_REMATCH[1]}, the caller is uid $vm_uid"; return 1; }
  vm_root_dir / || return 1
  IFS=/ read -ra parts <<<"${target#/}"
  last=$(( ${#parts[@]} - 1 ))
  for i in "${!parts[@]}"; do
    dir="$dir/${parts[$i]}"
    if [ "$i" -eq "$last" ] && [ "$make" != create ]; then
      [ ! -L "$dir" ] || { vm_fail "$dir is a symlink"; return 1; }
      return 0
    fi
    if [ "$make" = create ] && [ ! -e "$dir" ] && [ ! -L "$dir" ]; then mkdir -m 0755 -- "$dir" 2>/dev/null || [ -d "$dir" ] || { vm_fail "cannot create $dir"; return 1; }; fi
    vm_root_dir "$dir" || return 1
  done
  if mountpoint -q -- "$target"; then vm_fail "$target is already a mountpoint"; return 1; fi
}

vm_token() { [[ $2 =~ $VM_SAFE_TOKEN ]] || { vm_fail "refusing $1 $2"; return 1; }; }

# Root mounts only kernel file systems that run no helper program (mount.nfs, nfs-common's,
# aside), and only with options that act on the volume alone.
vm_allowed() {
  local via=$1 type=$2 opts=$3 o list
  case $via:$type in
    label:tmpfs|net:nfs|net:nfs4|dir:none|image:auto|block:auto) ;;
    image:*|block:*) [[ ,$VM_DISK_TYPES, == *,"$type",* ]] || { vm_fail "refusing type $type: root mounts only kernel file systems that run no program of their own"; return 1; } ;;
    *) vm_fail "refusing type $type from a $via: root mounts only kernel file systems that run no program of their own"; return 1 ;;
  esac
  IFS=, read -ra list <<<"$opts"
  for o in "${list[@]}"; do
    case $o in
      bind) [ "$via" = dir ] || { vm_fail "refusing option bind for a $via"; return 1; } ;;
      rbind|move|remount|shared|rshared|slave|rslave|private|rprivate|unbindable|runbindable|make-*|loop|loop=*|offset=*|sizelimit=*|encryption=*|helper=*|uhelper=*|x-*|X-*)
        vm_fail "refusing option $o: it reaches beyond the volume"; return 1 ;;
    esac
  done
  [ "$via" != dir ] || [[ ,$opts, == *,bind,* ]] || { vm_fail "refusing a directory mount without bind"; return 1; }
}

# Opens $1 as the caller (pkexec's uid, its group and its groups): for reading and, with
# $2 = rw, writing. Root takes that very open file as its own descriptor vm_src: what root
# mounts next is the object the caller could open, whatever the path names by then. The
# opener is the caller's process, so the caller may change what its descriptor holds, but
# only for something else it can open itself.
vm_open_as_caller() {
  local path=$1 access=$2 line=''
  [[ $vm_uid =~ ^[0-9]+$ && $vm_gid =~ ^[0-9]+$ ]] || { vm_fail "the caller's uid is unknown (no PKEXEC_UID)"; return 1; }
  coproc vm_opener { exec setpriv --reuid="$vm_uid" --regid="$vm_gid" --init-groups -- /bin/bash -c 'if [ "$2" = rw ] && [ -e "$1" ]; then exec 3<>"$1"; else exec 3<"$1"; fi || exit 1; echo vm-opened; read -r _' vm-open "$path" "$access" 2>&1; }
  read -r -t 10 line <&"${vm_opener[0]}"
  if [ "$line" = vm-opened ]; then exec {vm_src}<"/proc/$vm_opener_PID/fd/3"; fi
  kill "$vm_opener_PID" 2>/dev/null; wait "$vm_opener_PID" 2>/dev/null
  [ "$line" = vm-opened ] || { vm_fail "the caller (uid $vm_uid) cannot open $path for $([ "$access" = rw ] && echo 'reading and writing' || echo reading): ${line##*: }"; return 1; }
  vm_stop_here
}

# A file in a directory only root may enter, bound onto the caller's opened object: a path
# that names it for mount and losetup, which open by path, and that no one else can change.
vm_pin() {
  local dir=$VM_ROOT/.pins
  [ -d "$dir" ] || mkdir -m 0700 -- "$dir" 2>/dev/null
  vm_root_dir "$dir" || return 1
  [ "$(stat -c %a -- "$dir")" = 700 ] || { vm_fail "$dir is not private to root"; return 1; }
  vm_pinned=$(mktemp -p "$dir") || return 1
  mount -c --bind -- "/proc/self/fd/$vm_src" "$vm_pinned" || { rm -f -- "$vm_pinned"; return 1; }
}
vm_unpin() { umount -l -- "$vm_pinned" 2>/dev/null; rm -f -- "$vm_pinned"; }

# mount -t $2 -o $3,nosuid,nodev -- $4 $1, the source reached as $5 says (commands.ts's
# MountVia); "auto" lets mount detect the type among the disk types, "" is no options.
vm_mount() {
  local target=$1 type=$2 opts=$3 source=$4 via=$5 rc=0 access=rw all
  vm_allowed "$via" "$type" "$opts" || return 1
  [ -z "$opts" ] || vm_token options "$opts" || return 1
  vm_token source "$source" || return 1
  vm_target "$target" create || return 1
  all="${opts:+$opts,}nosuid,nodev"
  [ "$type" != auto ] || type=$VM_DISK_TYPES
  [[ ! ,$opts, == *,ro,* ]] || access=r
  [ "$via" = dir ] || [ "$via" = image ] || [ "$via" = block ] || vm_stop_here
  case $via in
    label) mount -i -t "$type" -o "$all" -- "$source" "$target" || rc=$? ;;
    net) mount -t "$type" -o "$all" -- "$source" "$target" || rc=$? ;;
    dir)
      vm_open_as_caller "$source" r || rc=1
      if [ "$rc" = 0 ]; then
        if [ -d "/proc/self/fd/$vm_src" ]; then mount -i -c -o "$all" -- "/proc/self/fd/$vm_src" "$target" || rc=$?; else vm_fail "$source is not a directory"; rc=1; fi
        exec {vm_src}<&-
      fi ;;
    image|block)
      vm_open_as_caller "$source" "$access" || rc=1
      if [ "$rc" = 0 ]; then
        if [ "$via" = image ] && [ ! -f "/proc/self/fd/$vm_src" ]; then vm_fail "$source is not an image file"; rc=1
        elif [ "$via" = block ] && [ ! -b "/proc/self/fd/$vm_src" ]; then vm_fail "$source is not a block device"; rc=1
        elif vm_pin; then
          if [ "$via" = image ]; then all="loop,$all"; fi
          mount -i -t "$type" -o "$all" -- "$vm_pinned" "$target" || rc=$?
          vm_unpin
        else rc=1; fi
        exec {vm_src}<&-
      fi ;;
  esac
  [ "$rc" = 0 ] && return 0
  rmdir -- "$target" 2>/dev/null
  return $rc
}

# umount [-l] -- $1; the emptied target (and its store directory, when empty) is removed.
vm_umount() {
  local target=$1 rc=0
  vm_target "$target" check || return 1
  vm_stop_here
  if [ "$2" = lazy ]; then umount -i -l -- "$target" || rc=$?; else umount -i -- "$target" || rc=$?; fi
  if [ -d "$target" ] && ! mountpoint -q -- "$target"; then rmdir -- "$target" 2>/dev/null; rmdir -- "${target%/*}" 2>/dev/null; fi
  return $rc
}

vm_step() { local id=$1; shift; echo "@@vm-begin $id"; "$@" 2>&1 && echo "@@vm-ok $id"; }
