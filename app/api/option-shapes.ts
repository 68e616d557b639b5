// The shapes of the option values a person types (uid, gid, size, a tmpfs mode), shared by
// the engine, which refuses anything else, and the create form, which says so as you type.

export const ID = /^\d{1,10}$/;
export const MAX_ID = 0xfffffffe;
export const SIZE = /^\d{1,15}[kKmMgG%]?$/;
/** An octal permission, as tmpfs's mode= takes it: 755, 0755, 1777. */
export const MODE = /^[0-7]{3,4}$/;

export const isId = (v: string) => ID.test(v) && Number(v) <= MAX_ID;
