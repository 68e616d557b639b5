// node:crypto on first use, not at start-up: it is the costliest built-in the command line
// would load, and most verbs never hash or draw a random number. process.getBuiltinModule
// loads it synchronously (Node 20.16 and later).

type Crypto = typeof import('node:crypto');

export const crypto = (): Crypto => process.getBuiltinModule('node:crypto');
