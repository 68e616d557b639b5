// The shapes of the values a person types (a volume's name; uid, gid, size, a tmpfs mode),
// shared by the engine, which refuses anything else, and the create form, which says so as
// you type. Pure: the page bundle holds this file.

/** podman's volume name pattern; the name becomes one path segment under the state directory. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** podman takes longer names; 240 leaves room for the locks named after a volume (transfer-NAME.stage) within a file name's 255. */
export const MAX_NAME = 240;

/**
 * Who holds a mount through the plugin protocol: Docker's mount ID, podman's one pseudo
 * container ID. It becomes a key in the store and a word in messages, so nothing else.
 */
export const HOLDER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export const ID = /^\d{1,10}$/;
export const MAX_ID = 0xfffffffe;
export const SIZE = /^\d{1,15}[kKmMgG%]?$/;
/** An octal permission, as tmpfs's mode= takes it: 755, 0755, 1777. */
export const MODE = /^[0-7]{3,4}$/;

export const isId = (v: string) => ID.test(v) && Number(v) <= MAX_ID;
