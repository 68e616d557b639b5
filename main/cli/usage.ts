export const USAGE = `Usage: volume-manager [--state-dir DIR] COMMAND

Volumes (podman's verbs):
  volume create [--driver D] [--opt k=v]... [--label k=v]... NAME
  volume inspect NAME...
  volume ls [--format json] [--filter k=v]... [--quiet]
      filters: name=TEXT, driver=NAME, label=KEY[=VALUE], mounted=true|false, dangling=true|false
  volume mount NAME...            prints each mountpoint
  volume unmount [--force] NAME...
  volume rm [--force] NAME...
  volume prune [--force]
Drivers:
  driver ls [--format json]
NFS:
  nfs exports SERVER              what the server exports (showmount -e)

Options:
  --state-dir DIR   the store and the mountpoints' root (or VOLUME_MANAGER_STATE_DIR)
  -h, --help        this text

Errors are printed with the steps that fix them; the exit code is then 125.`;
