// The error catalogue of DESIGN.md: one builder per failure a person can meet.
// Builders take the raw message and the facts needed for exact commands.

import { GuidedError, type GuidedErrorData } from './guided-error.js';
import { quoted } from './shell-words.js';

const CLI = 'volume-manager';

export const invalidName = (name: string, problem: string) =>
  new GuidedError({
    code: 'INVALID_NAME',
    title: 'Invalid volume name',
    happened: `invalid volume name ${JSON.stringify(name)}: ${problem}`,
    why: 'A volume name becomes a directory name and a mount path, so only a safe set of characters is accepted.',
    steps: [
      { text: 'Use letters, digits, "_", "." and "-", starting with a letter or digit, at most 128 characters.' },
      { text: 'For example:', command: `${CLI} volume create my-volume` },
    ],
  });

export const invalidOption = (happened: string, hint?: string) =>
  new GuidedError({
    code: 'INVALID_OPTION',
    title: 'Invalid volume option',
    happened,
    why: 'Options are passed to mount, so each one is checked before anything runs; nothing was changed.',
    steps: [
      ...(hint ? [{ text: hint }] : []),
      { text: "The local driver takes type, device, o, uid, gid and size, for example:", command: `${CLI} volume create --opt type=tmpfs --opt size=64m scratch` },
    ],
  });

export const invalidRequest = (happened: string) =>
  new GuidedError({
    code: 'INVALID_REQUEST',
    title: 'Invalid request',
    happened,
    why: 'The request does not have the shape the API declares; nothing was changed.',
    steps: [{ text: 'Check the arguments against the command help.', command: `${CLI} --help` }],
  });

export const volumeNotFound = (name: string) =>
  new GuidedError({
    code: 'VOLUME_NOT_FOUND',
    title: 'No such volume',
    happened: `no volume with name ${JSON.stringify(name)} found`,
    podman: `no volume with name ${JSON.stringify(name)} found: no such volume`,
    why: 'The name is not in the state store this command uses.',
    steps: [
      { text: 'List the volumes that exist:', command: `${CLI} volume ls` },
      { text: 'If it lives in another state directory, pass --state-dir or set VOLUME_MANAGER_STATE_DIR.' },
    ],
  });

export const volumeExists = (name: string) =>
  new GuidedError({
    code: 'VOLUME_EXISTS',
    title: 'A volume with this name already exists',
    happened: `volume with name ${name} already exists`,
    podman: `volume with name ${name} already exists: volume already exists`,
    why: 'Volume names are unique.',
    steps: [
      { text: 'Pick another name, or inspect the existing one:', command: `${CLI} volume inspect ${name}` },
    ],
  });

export const volumeNotMounted = (name: string) =>
  new GuidedError({
    code: 'VOLUME_NOT_MOUNTED',
    title: 'The volume has no path yet',
    happened: `${name} is not mounted, so its plugin has not given it a path`,
    why: 'A plugin hands out the path of a volume when it is mounted.',
    steps: [{ text: 'Mount it first, then open it:', command: `${CLI} volume mount ${name}` }],
  });

/** `heldBy`: what containers hold of the count, in words (app/volume/holders-text.ts), when any. */
export const volumeInUse = (name: string, count: number, heldBy?: string) =>
  new GuidedError({
    code: 'VOLUME_IN_USE',
    title: 'The volume is in use',
    happened: `volume ${name} is mounted ${count} time(s)${heldBy ? `, held by ${heldBy}` : ''}`,
    podman: `volume ${name} is being used${heldBy ? ` by ${heldBy}` : `: it is mounted ${count} time(s)`}: volume is being used`,
    why: 'Removing a mounted volume would pull it from under whatever uses it.',
    steps: [
      ...(heldBy ? [containersStep(name)] : [{ text: 'Unmount it first:', command: `${CLI} volume unmount ${name}` }]),
      { text: 'Or remove it anyway, unmounting it:', command: `${CLI} volume rm --force ${name}` },
    ],
  });

const containersStep = (name: string) => ({ text: 'Stop the containers that use it (find them with podman or docker):', command: `podman ps --filter volume=${name}; docker ps --filter volume=${name}` });

/** An unmount without a holder's ID, where every count left is a container's. */
export const volumeHeld = (name: string, heldBy: string) =>
  new GuidedError({
    code: 'VOLUME_IN_USE',
    title: 'Containers are using the volume',
    happened: `every mount of ${name} left is held by ${heldBy}`,
    podman: `volume ${name} is being used by ${heldBy}: volume is being used`,
    why: 'Those mounts are the containers\' own; each is given back when its container stops. Unmounting now would pull the volume from under them.',
    steps: [containersStep(name), { text: 'Or unmount it anyway, ending every mount of it:', command: `${CLI} volume unmount --force ${name}` }],
  });

/** An Unmount through the plugin server by an ID that holds no mount of the volume. */
export const holderUnknown = (name: string, id: string) =>
  new GuidedError({
    code: 'HOLDER_UNKNOWN',
    title: 'That mount is not held',
    happened: `no mount of ${name} is held by ID ${id}; nothing was unmounted`,
    why: 'Only the ID that mounted a volume through the plugin server gives that mount back. Its hold ends too when the volume is unmounted with --force, or was unmounted outside the app.',
    steps: [{ text: 'See who holds the volume:', command: `${CLI} volume inspect ${name}` }],
  });

export const notRootNoElevation = (happened: string) =>
  new GuidedError({
    code: 'NOT_ROOT_NO_ELEVATION',
    title: 'Mounting needs root, and there is no way to ask for it',
    happened,
    why: 'Volume Manager is not running as root and asks polkit (pkexec) for each mount, but pkexec is not installed.',
    steps: [
      { text: 'Install pkexec and polkit:', command: 'sudo apt-get install pkexec polkitd' },
      { text: 'Or run the command as root:', command: `sudo ${CLI} volume mount NAME` },
    ],
  });

export const elevationDenied = (happened: string) =>
  new GuidedError({
    code: 'ELEVATION_DENIED',
    title: 'Permission to mount was not granted',
    happened,
    why: 'The password prompt was dismissed, or polkit does not allow this user to run commands as root.',
    steps: [
      { text: 'Try again and enter your password in the prompt.' },
      { text: 'Check that your user is an administrator (in the sudo group):', command: 'groups' },
      { text: 'An administrator can add you:', command: 'sudo usermod -aG sudo "$USER"' },
    ],
  });

export const noPolkitAgent = (happened: string) =>
  new GuidedError({
    code: 'NO_POLKIT_AGENT',
    title: 'No password prompt is available',
    happened,
    why: 'pkexec needs a polkit authentication agent to ask for your password, and none runs in this session (common on minimal desktops, over SSH and in containers).',
    steps: [
      { text: 'Start your desktop\'s polkit agent, for example:', command: '/usr/lib/policykit-1-gnome/polkit-gnome-authentication-agent-1 &' },
      { text: 'Or install one:', command: 'sudo apt-get install policykit-1-gnome' },
      { text: 'Or run the command as root:', command: `sudo ${CLI} volume mount NAME` },
    ],
  });

export const nfsHelperMissing = (happened: string) =>
  new GuidedError({
    code: 'NFS_HELPER_MISSING',
    title: 'The NFS mount helper is not installed',
    happened,
    why: 'Mounting NFS needs /sbin/mount.nfs, which comes with the nfs-common package.',
    steps: [{ text: 'Install it:', command: 'sudo apt-get install nfs-common' }],
  });

export const nfsKernelMissing = (happened: string) =>
  new GuidedError({
    code: 'NFS_KERNEL_MISSING',
    title: 'This kernel has no NFS client',
    happened,
    why: 'mount.nfs asked the kernel for the nfs filesystem and the kernel does not have it (not built in, module not loaded or not installed; containers often cannot load modules).',
    steps: [
      { text: 'Load the module:', command: 'sudo modprobe nfs' },
      { text: 'If that fails, install the modules for the running kernel:', command: 'sudo apt-get install linux-image-$(uname -r)' },
      { text: 'Check that the kernel lists nfs now:', command: 'grep nfs /proc/filesystems' },
    ],
  });

/**
 * Why a server did not answer, as what happened says: a refused connection is a machine that
 * answered with nothing listening on the port, not one that is down or out of reach.
 */
function whyUnreachable(target: string, port: number, happened: string, service: string): string {
  if (/Connection refused|ECONNREFUSED/i.test(happened)) return `${target} answered, but nothing listens on port ${port}: ${service} is not running there, or the port is wrong.`;
  if (/Could not resolve|Name or service not known|Temporary failure in name resolution|ENOTFOUND/i.test(happened)) return `The name ${target} does not resolve to an address: check its spelling, or use its IP address.`;
  return `Nothing answered on ${target} port ${port} in time: the machine is down, the address is wrong, or a firewall drops the connection.`;
}

export const nfsServerUnreachable = (server: string, port: number, happened: string) =>
  new GuidedError({
    code: 'NFS_SERVER_UNREACHABLE',
    title: `The NFS server ${server} does not answer`,
    happened,
    why: whyUnreachable(server, port, happened, 'the NFS server'),
    steps: [
      { text: 'Check that the server is reachable:', command: `ping -c 1 ${server}` },
      { text: 'Check that it offers NFS:', command: `rpcinfo -p ${server}` },
      { text: 'Check the port in the volume\'s o= options (port=...); NFS uses 2049 by default.' },
    ],
  });

export const nfsExportNotFound = (server: string, path: string, exports: string[], happened?: string) =>
  new GuidedError({
    code: 'NFS_EXPORT_NOT_FOUND',
    title: `${server} does not export ${path}`,
    happened: happened ?? `${path} is not in the export list of ${server}: ${exports.length ? exports.join(', ') : '(none)'}`,
    why: 'The server answers, but the path in device= is not one of the directories it shares.',
    steps: [
      { text: 'List what the server exports:', command: `showmount -e ${server}` },
      ...(exports.length
        ? [{ text: `Use one of: ${exports.join(', ')}, for example:`, command: `${CLI} volume create --opt type=nfs --opt device=${server}:${exports[0]} --opt o=addr=${server} NAME` }]
        : [{ text: 'Ask the server\'s administrator to export the directory (/etc/exports or the ganesha EXPORT block).' }]),
    ],
  });

export const nfsAccessDenied = (server: string, happened: string) =>
  new GuidedError({
    code: 'NFS_ACCESS_DENIED',
    title: `${server} refused access`,
    happened,
    why: 'The export exists but the server does not allow this machine (or this NFS version or security flavour).',
    steps: [
      { text: 'See which clients the export allows:', command: `showmount -e ${server}` },
      { text: 'Ask the server\'s administrator to add this machine to the export\'s client list.' },
      { text: 'Try another NFS version in o=, for example nfsvers=4.1 or nfsvers=3.' },
    ],
  });

export const targetBusy = (mountpoint: string, holders: string[], happened: string, name: string) =>
  new GuidedError({
    code: 'TARGET_BUSY',
    title: 'The volume is busy',
    happened,
    why: holders.length
      ? `These processes use ${mountpoint}: ${holders.join('; ')}.`
      : `Some process uses ${mountpoint} (an open file or a shell whose current directory is inside it).`,
    steps: [
      { text: 'See which processes use it:', command: `fuser -vm ${mountpoint}` },
      { text: 'Close those programs or leave that directory, then unmount again:', command: `${CLI} volume unmount ${name}` },
      { text: 'Or detach it now (lazy unmount; programs keep their open files):', command: `${CLI} volume unmount --force ${name}` },
    ],
  });

export const permissionDenied = (happened: string, path: string) =>
  new GuidedError({
    code: 'PERMISSION_DENIED',
    title: 'Permission denied',
    happened,
    why: `This user may not write ${path}.`,
    steps: [
      { text: 'Use a state directory you own:', command: `${CLI} --state-dir ~/.local/share/volume-manager volume ls` },
      { text: 'Or check the owner of the path:', command: `ls -ld ${path}` },
    ],
  });

export const folderUnreadable = (path: string, happened: string) =>
  new GuidedError({
    code: 'FOLDER_UNREADABLE',
    title: 'This folder cannot be listed',
    happened,
    why: 'The folder picker lists folders as the user who runs the app; the folder is missing, is not a folder, or this user may not read it.',
    steps: [
      { text: 'Check that it exists and who may read it:', command: `ls -ld ${quoted(path)}` },
      { text: 'Or type the path of the folder to bind into the Source folder field.' },
    ],
  });

export const stateCorrupt = (file: string, setAside: string, happened: string) =>
  new GuidedError({
    code: 'STATE_CORRUPT',
    title: 'The state file was unreadable and has been set aside',
    happened,
    why: `${file} is not valid volume state (a crash during a write by an older tool, or a hand edit). It was moved, not deleted.`,
    steps: [
      { text: 'Look at the saved copy:', command: `less ${setAside}` },
      { text: 'If you repair it, put it back (the next command starts from an empty store otherwise):', command: `mv ${setAside} ${file}` },
      { text: 'Volumes that are still mounted are in the mount table:', command: 'findmnt -t tmpfs,nfs,nfs4,ext4' },
    ],
  });

export const stateLocked = (what: string, happened: string) =>
  new GuidedError({
    code: 'STATE_LOCKED',
    title: `${what} is locked by another process`,
    happened,
    why: 'Another Volume Manager process (the app or a command) holds the lock and did not release it in time.',
    steps: [
      { text: 'Wait for the other operation (a password prompt may be open) and try again.' },
      { text: 'See which Volume Manager processes run:', command: 'pgrep -af volume-manager' },
    ],
  });

export const stateDiskFull = (dir: string, happened: string) =>
  new GuidedError({
    code: 'STATE_DISK_FULL',
    title: 'The disk that holds the volume state is full',
    happened,
    why: `Volume Manager could not write to ${dir}: no space is left on its filesystem. Nothing was recorded, and what the state says still matches the system.`,
    steps: [
      { text: 'See how full it is:', command: `df -h ${dir}` },
      { text: 'Free some space on that filesystem, then try again.' },
      { text: 'Or keep the state on another disk:', command: `${CLI} --state-dir /path/on/another/disk volume ls` },
    ],
  });

export const stateReadOnly = (dir: string, happened: string, immutable: boolean) =>
  new GuidedError({
    code: 'STATE_READ_ONLY',
    title: immutable ? 'The volume state cannot be changed' : 'The volume state is on a read-only filesystem',
    happened,
    why: immutable
      ? `A file in ${dir} refuses every change (it is marked immutable, or the filesystem forbids it). Nothing was recorded; volumes can still be listed.`
      : `${dir} is mounted read-only. Nothing was recorded; volumes can still be listed.`,
    steps: immutable
      ? [
          { text: 'See the file attributes (an "i" is immutable):', command: `lsattr -d ${dir} ${dir}/volumes.json` },
          { text: 'Clear the flag, if you set it on purpose only to protect it for a while:', command: `sudo chattr -i ${dir}/volumes.json` },
        ]
      : [
          { text: 'See how it is mounted:', command: `findmnt -T ${dir}` },
          { text: 'Remount it read-write, or keep the state elsewhere:', command: `${CLI} --state-dir /path/on/a/writable/disk volume ls` },
        ],
  });

export const targetRefused = (name: string, happened: string) =>
  new GuidedError({
    code: 'TARGET_REFUSED',
    title: 'The root side refused to act on this path',
    happened,
    why: `Before it mounts or unmounts ${name}, the script that runs as root checks that every directory from / down to the target belongs to root and that no one else can change it, so that no program running as you can redirect a mount. That check failed; nothing was mounted or unmounted.`,
    steps: [
      { text: 'See who owns each directory on the way:', command: `namei -l ${happened.match(/\/run\/volume-manager\S*/)?.[0] ?? '/run/volume-manager'}` },
      { text: 'If something other than Volume Manager created or changed them, an administrator should look at it before trying again.' },
    ],
  });

export const sourceRefused = (name: string, source: string, happened: string) =>
  new GuidedError({
    code: 'SOURCE_REFUSED',
    title: 'You cannot open what this volume mounts',
    happened,
    why: `Root mounts only what you could open yourself: a folder to bind you can read, an image or a device you can read and write (read only with o=ro). A password prompt grants the mount of ${name}, never access you did not have. Nothing was mounted.`,
    steps: [
      { text: 'See who may open each part of the path:', command: `namei -l ${quoted(source)}` },
      { text: 'For an image or device you may only read, mount it read-only:', command: `${CLI} volume create --opt type=ext4 --opt device=${quoted(source)} --opt o=ro ${name}-ro` },
      { text: 'Ask whoever owns it to give you access, or an administrator to mount it.' },
    ],
  });

export const autostartUnsafe = (value: string) =>
  new GuidedError({
    code: 'INVALID_REQUEST',
    title: 'This path cannot go into the autostart entry',
    happened: `${JSON.stringify(value)} holds a control character (a newline, a tab or another)`,
    why: 'The autostart entry that mounts login volumes runs one command line; a newline in it would start a line of its own, which the desktop would read as another command. Nothing was changed.',
    steps: [
      { text: 'Keep the state in a directory whose path has no control characters, for example:', command: `${CLI} --state-dir ~/.local/share/volume-manager volume ls` },
    ],
  });

export const mountFailed = (name: string, happened: string) =>
  new GuidedError({
    code: 'MOUNT_FAILED',
    title: 'Mounting failed',
    happened,
    why: 'mount reported an error that is quoted above.',
    steps: [
      { text: 'Check the volume\'s options:', command: `${CLI} volume inspect ${name}` },
      { text: 'Look at the kernel\'s side of it:', command: 'sudo dmesg | tail' },
    ],
  });

export const unmountFailed = (name: string, happened: string) =>
  new GuidedError({
    code: 'UNMOUNT_FAILED',
    title: 'Unmounting failed',
    happened,
    why: 'umount reported an error that is quoted above.',
    steps: [{ text: 'Detach it anyway (lazy unmount):', command: `${CLI} volume unmount --force ${name}` }],
  });

export const reloadInvalidName = (driver: string, name: string) =>
  new GuidedError({
    code: 'INVALID_NAME',
    title: `Volume plugin ${driver} lists a name that is not a volume name`,
    happened: `${JSON.stringify(name)} does not match [a-zA-Z0-9][a-zA-Z0-9_.-]*; not added`,
    why: 'A volume name becomes a path and a command-line argument, so names outside the safe set are not taken in.',
    steps: [
      { text: 'Rename or remove that volume in the plugin, then take in the plugin\'s volumes again:', command: `${CLI} volume reload` },
    ],
  });

export const reloadNameClash = (driver: string, name: string, has: string) =>
  new GuidedError({
    code: 'VOLUME_EXISTS',
    title: `Volume plugin ${driver} lists a name another driver already has`,
    happened: `a volume named ${name} already exists with driver ${has}; the one of ${driver} was not added`,
    why: 'Volume names are unique across drivers, as in podman.',
    steps: [
      { text: `Look at the volume that has the name now:`, command: `${CLI} volume inspect ${name}` },
      { text: `If it is the one to let go, remove it, then take in ${driver}'s volumes again:`, command: `${CLI} volume rm ${name} && ${CLI} volume reload` },
    ],
  });

export const reloadKeptMounted = (driver: string, name: string, count: number) =>
  new GuidedError({
    code: 'VOLUME_IN_USE',
    title: `Volume plugin ${driver} no longer lists a mounted volume`,
    happened: `${name} is mounted ${count} time(s) but ${driver} does not list it any more; it was kept`,
    why: 'Dropping a mounted volume would lose track of its mount, so reload keeps it until it is unmounted.',
    steps: [
      { text: 'If the plugin lists it again later (a server that was away), nothing needs doing: unmount it as usual.' },
      { text: 'If it is gone for good, drop it from the state (the plugin\'s refusals become warnings), then take in the plugin\'s volumes again:', command: `${CLI} volume rm --force ${name} && ${CLI} volume reload` },
    ],
  });

const activateCommand = (socket: string) => `curl -s --unix-socket ${socket} -X POST http://plugin/Plugin.Activate`;

/** `searched` lists the places looked in, so the person knows where a socket or spec belongs. */
export const pluginMissing = (driver: string, searched: string[], volume?: string) =>
  new GuidedError({
    code: 'PLUGIN_MISSING',
    title: `Volume plugin ${driver} is not installed or not running`,
    happened: `volume plugin ${driver}${volume ? ` (needed by volume ${volume})` : ''} was not found in ${searched.join(', ')}`,
    why: 'A plugin is found by its socket or its spec file; when it is not running its socket is gone, so it cannot be found.',
    steps: [
      { text: `Start the plugin (if it runs as a systemd service):`, command: `sudo systemctl start ${driver}` },
      { text: 'Check which plugins are found and answer:', command: `${CLI} driver ls` },
      { text: 'If it listens somewhere else, point to it with --plugin-socket-dir, --plugin-spec-dir or --containers-conf (or their VOLUME_MANAGER_* variables).' },
    ],
  });

export const pluginNotAnswering = (driver: string, address: string, happened: string, timedOut: boolean, volume?: string) =>
  new GuidedError({
    code: 'PLUGIN_NOT_ANSWERING',
    title: timedOut ? `Volume plugin ${driver} did not answer in time` : `Volume plugin ${driver} is not answering`,
    happened: `${volume ? `volume ${volume}: ` : ''}${happened}`,
    why: timedOut
      ? 'The plugin accepted the call but sent no answer before the timeout; it may be stuck on a slow mount or server.'
      : `Nothing that speaks the Docker plugin protocol answers at ${address}: the plugin stopped, or another program owns that socket.`,
    steps: [
      { text: 'Check that the plugin answers its activation call:', command: address.startsWith('unix://') ? activateCommand(address.slice('unix://'.length)) : `curl -s -X POST ${address.replace(/^tcp:/, 'http:')}/Plugin.Activate` },
      { text: 'Restart the plugin (if it runs as a systemd service):', command: `sudo systemctl restart ${driver}` },
      ...(timedOut && volume ? [{ text: 'Give slow plugins more time per volume, as podman does:', command: `${CLI} volume create --driver ${driver} --opt o=timeout=30 NAME` }] : []),
    ],
  });

/** The plugin answered, with an error of its own; `message` is its `Err`, quoted verbatim. */
export const pluginError = (driver: string, call: string, message: string, volume?: string) =>
  new GuidedError({
    code: 'PLUGIN_ERROR',
    title: `Volume plugin ${driver} refused ${call.replace(/^VolumeDriver\./, '').toLowerCase()}`,
    happened: `${driver}: ${message}`,
    why: 'The plugin answered the call with an error of its own (quoted above); nothing was changed on this side.',
    steps: [
      { text: "Read the plugin's message, and its log for the details." },
      ...(volume ? [{ text: 'See what the plugin reports for this volume:', command: `${CLI} volume inspect ${volume}` }] : []),
    ],
  });

/**
 * A server whose key is not in known_hosts, for an SSH volume and for another machine alike:
 * `fingerprints` are its keys as `ssh-keygen -l` prints them (SHA256:...), read just now;
 * `trust` the steps that record it there, `ranNothing` for a machine nothing ran on.
 */
function hostUnknown(hostName: string, fingerprints: string[], happened: string, trust: GuidedErrorData['steps'], ranNothing = false): GuidedError {
  return new GuidedError({
    code: 'SSH_HOST_UNKNOWN',
    title: 'This SSH server is not known yet',
    happened,
    why: `Volume Manager checks every server's host key against your known_hosts and never skips the check${ranNothing ? '; nothing ran there' : ''}. ${hostName} is not in it${fingerprints.length ? `; the server offers: ${fingerprints.join(', ')}` : ''}.`,
    steps: [{ text: "Compare the fingerprint with the one the server's administrator gives you (on the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)." }, ...trust],
  });
}

const fingerprintFlag = (fingerprints: string[]) => (fingerprints[0] ? ` --fingerprint ${fingerprints[0]}` : '');

/** An SSH volume's server (`name` the volume's; '' for one typed into the window's form). */
export const sshHostUnknown = (name: string, hostName: string, fingerprints: string[], happened: string) =>
  hostUnknown(
    hostName,
    fingerprints,
    happened,
    name
      ? [
          { text: 'If it matches, trust it (it is recorded in your known_hosts):', command: `${CLI} ssh trust ${name}${fingerprintFlag(fingerprints)}` },
          { text: 'Then mount again:', command: `${CLI} volume mount ${name}` },
        ]
      : [{ text: 'If it matches, choose "Trust this host" to record it in your known_hosts.' }],
  );

export const sshHostChanged = (hostName: string, happened: string, knownHosts: string) =>
  new GuidedError({
    code: 'SSH_HOST_CHANGED',
    title: "The SSH server's host key has changed: this may be an attack",
    happened,
    why: `The key ${hostName} offers is not the one recorded in ${knownHosts}. Either the server was reinstalled, or someone is between you and it. Nothing was mounted, and Volume Manager will not trust the new key for you.`,
    steps: [
      { text: "Ask the server's administrator whether its host key was changed, and for the new fingerprint." },
      { text: 'Only if they confirm it, remove the old key, then trust the new one after comparing it:', command: `ssh-keygen -R '${hostName}' -f ${knownHosts}` },
    ],
  });

export const sshAuthRefused = (target: string, happened: string) =>
  new GuidedError({
    code: 'SSH_AUTH_REFUSED',
    title: 'The SSH server refused the key',
    happened,
    why: `${target} accepted no key that was offered. SSH volumes log in with a key (o=IdentityFile=...) or your ssh-agent, never a password.`,
    steps: [
      { text: 'Check that the key works on its own:', command: `ssh -o BatchMode=yes ${target} true` },
      { text: "Add your public key to the server's ~/.ssh/authorized_keys:", command: `ssh-copy-id ${target}` },
      { text: 'Or name the key in the volume: --opt o=IdentityFile=/home/you/.ssh/id_ed25519' },
    ],
  });

export const sshUnreachable = (target: string, port: number, happened: string) =>
  new GuidedError({
    code: 'SSH_UNREACHABLE',
    title: 'The SSH server does not answer',
    happened,
    why: whyUnreachable(target, port, happened, 'the SSH server'),
    steps: [
      { text: 'Check that the server answers:', command: `ssh -p ${port} -o ConnectTimeout=5 ${target} true` },
      { text: 'Check the port in the volume (o=port=N; SSH uses 22 by default).' },
    ],
  });

export const sshRemotePathMissing = (target: string, path: string, happened: string) =>
  new GuidedError({
    code: 'SSH_REMOTE_PATH_MISSING',
    title: 'The remote folder does not exist',
    happened,
    why: `The server answered, but ${path} is not a folder on ${target} that this account can open.`,
    steps: [
      { text: 'Look at what is there:', command: `ssh ${target} ls -ld '${path}'` },
      { text: 'Create it on the server, or fix device= (USER@HOST:/PATH).' },
    ],
  });

export const sshNoSftp = (target: string, happened: string) =>
  new GuidedError({
    code: 'SSH_NO_SFTP',
    title: 'The SSH server offers no SFTP',
    happened,
    why: `sshfs speaks SFTP, and ${target} refused the sftp subsystem.`,
    steps: [{ text: "Ask the server's administrator to enable it (sshd_config: Subsystem sftp internal-sftp), then reload sshd." }],
  });

export const sshfsMissing = (happened: string) =>
  new GuidedError({
    code: 'SSHFS_MISSING',
    title: 'sshfs is not installed',
    happened,
    why: 'SSH volumes are mounted with sshfs (FUSE), which needs no root but must be installed.',
    steps: [{ text: 'Install it:', command: 'sudo apt-get install sshfs' }],
  });

export const fuseMissing = (happened: string) =>
  new GuidedError({
    code: 'FUSE_MISSING',
    title: 'FUSE is not available',
    happened,
    why: 'sshfs mounts through the kernel\'s FUSE device, /dev/fuse, which is missing or not usable here (common in containers).',
    steps: [
      { text: 'Load the module:', command: 'sudo modprobe fuse' },
      { text: 'Check the device:', command: 'ls -l /dev/fuse' },
    ],
  });

export const openFailed = (path: string, happened: string) =>
  new GuidedError({
    code: 'OPEN_FAILED',
    title: 'No program opened the folder',
    happened,
    why: 'The desktop has no file manager set for folders (xdg-open found no way to open one), or none is installed.',
    steps: [
      { text: 'Open it in a terminal instead:', command: `cd ${path}` },
      { text: 'Or install a file manager, then open the volume again:', command: 'sudo apt-get install nautilus' },
    ],
  });

/** Another machine's server (`url` the connection's). */
export const remoteHostUnknown = (url: string, hostName: string, fingerprints: string[], happened: string) =>
  hostUnknown(hostName, fingerprints, happened, [{ text: 'If it matches, trust it (it is recorded in your known_hosts):', command: `${CLI} ssh trust --url ${quoted(url)}${fingerprintFlag(fingerprints)}` }], true);

export const remoteNodeMissing = (machine: string, found: string) =>
  new GuidedError({
    code: 'REMOTE_NODE_MISSING',
    title: `${machine} cannot run Volume Manager`,
    happened: found === 'none' ? `there is no node on ${machine}'s PATH` : `${machine} has Node.js ${found}`,
    why: 'Volume Manager runs on the other machine as its own command line, with that machine\'s Node.js 20.19 or newer; it copies itself there, but not Node.js.',
    steps: [
      { text: `On ${machine}, install Node.js 20.19 or newer (Debian 13: sudo apt-get install nodejs; or from nodejs.org), so that "node" is on the PATH of a non-interactive SSH session.` },
      { text: 'Then try again: the app copies itself there on first use.' },
    ],
  });

export const remoteLost = (machine: string, happened: string) =>
  new GuidedError({
    code: 'REMOTE_LOST',
    title: `The connection to ${machine} ended`,
    happened,
    why: 'The SSH connection closed before the other machine answered. What it was doing there may have been done or not: a mount counts only once its answer is recorded there, and a transfer there is taken back when its stream breaks.',
    steps: [
      { text: `Look at the volume there before trying again:`, command: `${CLI} --url ssh://${machine} volume ls` },
    ],
  });

export const remoteInvalid = (machine: string, happened: string) =>
  new GuidedError({
    code: 'REMOTE_INVALID',
    title: `${machine} answered what no engine answers`,
    happened,
    why: "Every answer from another machine is checked against the contract before it is used or shown; this one was not one the contract allows, so it was dropped. The other machine runs another program than this app's, or one that was changed.",
    steps: [{ text: `Check what runs there as volume-manager, and remove its copy of the app (~/.cache/volume-manager on ${machine}) to have a fresh one copied.` }],
  });
