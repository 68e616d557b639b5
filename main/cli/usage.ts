export const USAGE = `Usage: volume-manager [GLOBAL OPTIONS] COMMAND

Volumes (podman's verbs, flags and exit codes):
  volume create [--driver D] [-o|--opt k=v]... [-l|--label k=v]... [--ignore]
                [--mount-at manual|login] [NAME]      no NAME: a random 64-hex one
  volume inspect [-f|--format TEMPLATE] (--all | NAME...)
  volume ls|list [--format json|TEMPLATE] [-f|--filter k=v]... [--noheading] [-q|--quiet]
      filters: name=REGEXP, driver=NAME, label=KEY[=VALUE], opt=KEY[=VALUE], scope=local,
      until=TIME|DURATION, dangling=true|false, mounted=true|false (keys AND-ed, values OR-ed)
  volume exists NAME              exit 0 if it exists, 1 if not; prints nothing
  volume rename NAME NEWNAME      podman 6.1's: a volume nothing holds, its data with it
  volume mount NAME               prints the mountpoint
  volume unmount [--force] NAME
  volume rm|remove [-f|--force] [-t|--time N] (--all | NAME...)
                                  exit 1 for a missing volume, 2 for one in use
  volume prune [-f|--force] [--filter label=K[=V]|until=T]...
                                  lists what goes and asks y/N on standard input
  volume reload                   sync plugin volumes with what the plugins list
  volume set [--opt K=V]... [--label K=V]... [--mount-at manual|login] NAME
                                  --opt: all of a local volume's options, checked as create
                                  checks them, while it is not mounted; its type stays
                                  --label: all of its labels, at any time
                                  login: mounted by volume restore, which an autostart entry
                                  ($XDG_CONFIG_HOME/autostart) runs at login while any volume has it
  volume restore [--notify]       mount every login volume that is not mounted
  volume export [--output FILE [--force]] NAME
                                  a tar of the volume to FILE (--force replaces it) or to stdout
  volume import [--replace] NAME FILE|-
                                  fill the volume from a tar; one that holds files needs --replace,
                                  and its old entries go only once the whole archive was checked
Drivers:
  driver ls [--format json]       local and every volume plugin found, and whether it answers
Containers (podman and Docker use these volumes as the volume plugin volume-manager):
  plugin serve [--socket PATH]    serve the plugin protocol until SIGTERM; default socket
                                  /run/docker/plugins/volume-manager.sock as root, else
                                  $XDG_RUNTIME_DIR/volume-manager/plugin.sock (or
                                  VOLUME_MANAGER_PLUGIN_SOCKET); prints podman's lines
  plugin enable [--socket PATH]   systemd units that serve on demand while no window is open
                                  (a user's in ~/.config/systemd/user, root's system units)
  plugin disable                  stop and remove those units
NFS:
  nfs exports SERVER              what the server exports (showmount -e)
SSH (type=sshfs, device=[USER@]HOST:/PATH, o=port=N,IdentityFile=KEY; no root, no password):
  ssh trust [--fingerprint SHA256:...] NAME | --url ssh://... | --connection NAME
                                  record the server's host key in known_hosts after comparing it
                                  (VOLUME_MANAGER_KNOWN_HOSTS, else ~/.ssh/known_hosts)
Other machines (podman's --url; the app copies itself there, run by that machine's Node):
  connection add [--identity KEY] [--default] NAME ssh://[USER@]HOST[:PORT]
  connection ls [--format json] | connection rm NAME | connection default NAME

Global options:
  --state-dir DIR          the store and the mountpoints' root (or VOLUME_MANAGER_STATE_DIR)
  --url ssh://[USER@]HOST[:PORT]  run the verb on that machine's engine, as its user (with
  --identity KEY           --state-dir: that store there); --connection NAME, or --remote for
  --connection NAME        the default connection; host keys checked against known_hosts
  --remote
  --explain                errors with the steps that fix them after podman's one line (the
                           default where stderr is a terminal; or VOLUME_MANAGER_EXPLAIN=1|0)
  --plugin-socket-dir DIR  where plugin sockets are (NAME.sock, NAME/NAME.sock); repeatable;
                           default /run/docker/plugins (or VOLUME_MANAGER_PLUGIN_SOCKET_DIRS, a:b)
  --plugin-spec-dir DIR    where NAME.spec and NAME.json files are; repeatable; default
                           /etc/docker/plugins, /usr/lib/docker/plugins (or VOLUME_MANAGER_PLUGIN_SPEC_DIRS)
  --containers-conf FILE   containers.conf with [engine.volume_plugins]; repeatable; default
                           podman's three files, or CONTAINERS_CONF (or VOLUME_MANAGER_CONTAINERS_CONF)
  -h, --help               this text

Plugin volumes take any --opt, passed to the plugin, and o=timeout=SECONDS for its calls
(default: containers.conf's volume_plugin_timeout, else 5).

--format takes Go templates as podman does: {{.Name}}, {{.Labels.KEY}}, {{json .Labels}},
'table {{.Driver}}\\t{{.Name}}', {{range $k, $v := .Labels}}...{{end}}, {{if ...}}, and podman's
functions (json upper lower title truncate join split pad) and Go's (len index printf eq ne ...).

Errors start with podman's one line (Error: ...); the exit code is then 125 unless said above.`;
