#!/usr/bin/env bash
# Installs and starts what the integration tests use, as DESIGN.md describes: real polkit
# over a system D-Bus, an unprivileged user, nfs-common, and nfs-ganesha with rpcbind on
# loopback, and an OpenSSH server on 127.0.0.1:2222 for SSH volumes. Idempotent: a second
# run on a machine where the services are up changes nothing.
# Needs root. Prints one line per service.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "provision.sh must run as root (it installs packages and starts system services)" >&2
  exit 1
fi

here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
# chromium: the browser the end-to-end specs drive (Electron cannot be downloaded here).
# shellcheck: the root side's .sh files are checked by a unit test.
# time: GNU time, whose %M is the peak memory of an export or import, measured.
# podman, runc, docker.io, busybox-static: containers on the plugin server's volumes (runc:
# crun refuses this machine's hybrid cgroups); uidmap, slirp4netns, fuse-overlayfs: rootless
# podman as vmtest; systemd: systemd-socket-activate, for the socket-activated server.
packages=(shellcheck pkexec polkitd dbus nfs-common nfs-ganesha nfs-ganesha-vfs rpcbind e2fsprogs util-linux psmisc procps chromium openssh-server openssh-client sshfs fuse3 desktop-file-utils tar time podman runc docker.io busybox-static uidmap slirp4netns fuse-overlayfs systemd)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  # With recommends, as DESIGN.md's checks of these services were made.
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# System D-Bus, then polkitd on it.
mkdir -p /run/dbus
if ! dbus-send --system --dest=org.freedesktop.DBus --print-reply / org.freedesktop.DBus.ListNames >/dev/null 2>&1; then
  rm -f /run/dbus/pid /run/dbus/system_bus_socket
  dbus-daemon --system --fork
fi
echo "dbus: up"
if ! pgrep -x polkitd >/dev/null; then
  /usr/lib/polkit-1/polkitd --no-debug >/var/log/volume-manager-polkitd.log 2>&1 &
  for _ in $(seq 50); do
    dbus-send --system --dest=org.freedesktop.PolicyKit1 --print-reply /org/freedesktop/PolicyKit1/Authority org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
echo "polkitd: up"

# The unprivileged user the elevation tests run the engine as, with subordinate ids for
# rootless podman.
id vmtest >/dev/null 2>&1 || useradd -m -s /bin/bash vmtest
grep -q '^vmtest:' /etc/subuid 2>/dev/null || usermod --add-subuids 200000-265535 --add-subgids 200000-265535 vmtest
echo "user vmtest: present"

# The containers' image, offline (nothing can be pulled here): a root of busybox-static and its
# links, as a tar that each test imports into its own private podman or Docker store.
image=/var/lib/volume-manager-test/busybox-rootfs.tar
if [ ! -s "$image" ]; then
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/data" /var/lib/volume-manager-test
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
  tar -C "$root" -cf "$image.tmp" . && mv "$image.tmp" "$image"
  rm -rf "$root"
fi
chmod 644 "$image"
echo "container image: $image"

# rpcbind and nfs-ganesha on loopback.
if ! rpcinfo -p 127.0.0.1 >/dev/null 2>&1; then
  mkdir -p /run/rpcbind
  rpcbind -w
fi
echo "rpcbind: up"
mkdir -p /srv/volume-manager-test/export /var/run/ganesha /var/lib/nfs/ganesha
echo "served by nfs-ganesha" >/srv/volume-manager-test/export/README
if ! showmount -e 127.0.0.1 2>/dev/null | grep -q /srv/volume-manager-test/export; then
  pidfile=/run/volume-manager-ganesha.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")"; sleep 1; fi
  ganesha.nfsd -f "$here/ganesha.conf" -L /var/log/volume-manager-ganesha.log -p "$pidfile"
  for _ in $(seq 100); do
    showmount -e 127.0.0.1 2>/dev/null | grep -q /srv/volume-manager-test/export && break
    sleep 0.2
  done
fi
showmount -e 127.0.0.1 | grep -q /srv/volume-manager-test/export
echo "nfs-ganesha: exporting /srv/volume-manager-test/export on 127.0.0.1"

# An OpenSSH server of the tests' own on 127.0.0.1:2222: its own host key, one client key
# (copied by each test to where its user can read it), the remote folder owned by vmtest.
# PAM is on, or sshd refuses keys for accounts useradd made without a password.
ssh_dir=/etc/volume-manager-test/ssh
install -d -m 700 "$ssh_dir"
[ -f "$ssh_dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C volume-manager-test-host -f "$ssh_dir/host_ed25519"
[ -f "$ssh_dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C volume-manager-test-client -f "$ssh_dir/id_ed25519"
# sshd reads authorized keys as the user who logs in: they live apart, readable by all.
install -d -m 755 /etc/volume-manager-test/ssh-authorized
install -m 644 "$ssh_dir/id_ed25519.pub" /etc/volume-manager-test/ssh-authorized/authorized_keys
cat >"$ssh_dir/sshd_config" <<SSHD
ListenAddress 127.0.0.1
Port 2222
HostKey $ssh_dir/host_ed25519
AuthorizedKeysFile /etc/volume-manager-test/ssh-authorized/authorized_keys
PidFile /run/volume-manager-test-sshd.pid
Subsystem sftp internal-sftp
StrictModes no
UsePAM yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowUsers vmtest
SSHD
install -d -o vmtest -g vmtest -m 755 /srv/volume-manager-test/ssh
echo "served over SFTP" >/srv/volume-manager-test/ssh/README
chown vmtest:vmtest /srv/volume-manager-test/ssh/README
pidfile=/run/volume-manager-test-sshd.pid
# A running sshd reads its configuration again on SIGHUP, so a changed one takes effect.
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill -HUP "$(cat "$pidfile")"; sleep 0.3; fi
if ! ssh-keyscan -p 2222 -T 2 127.0.0.1 2>/dev/null | grep -q ssh-ed25519; then
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")"; sleep 0.5; fi
  mkdir -p /run/sshd
  /usr/sbin/sshd -f "$ssh_dir/sshd_config"
  for _ in $(seq 50); do
    ssh-keyscan -p 2222 -T 2 127.0.0.1 2>/dev/null | grep -q ssh-ed25519 && break
    sleep 0.1
  done
fi
ssh-keyscan -p 2222 -T 2 127.0.0.1 2>/dev/null | grep -q ssh-ed25519
echo "sshd: 127.0.0.1:2222, remote folder /srv/volume-manager-test/ssh"
