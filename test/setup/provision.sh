#!/usr/bin/env bash
# Installs and starts what the integration tests use, as DESIGN.md describes: real polkit
# over a system D-Bus, an unprivileged user, nfs-common, and nfs-ganesha with rpcbind on
# loopback. Idempotent: a second run on a machine where the services are up changes nothing.
# Needs root. Prints one line per service.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "provision.sh must run as root (it installs packages and starts system services)" >&2
  exit 1
fi

here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive
# chromium: the browser the end-to-end specs drive (Electron cannot be downloaded here).
packages=(pkexec polkitd dbus nfs-common nfs-ganesha nfs-ganesha-vfs rpcbind e2fsprogs util-linux psmisc procps chromium)
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

# The unprivileged user the elevation tests run the engine as.
id vmtest >/dev/null 2>&1 || useradd -m -s /bin/bash vmtest
echo "user vmtest: present"

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
