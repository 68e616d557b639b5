// How a protocol call failed, apart from the HTTP code, so that knowing the failure does
// not load node:http.

export type TransportFailure =
  /** Nothing listens there: the socket file is missing or refuses connections. */
  | 'unreachable'
  | 'timeout'
  /** Something answered, but not the plugin protocol (not HTTP, not JSON, wrong type). */
  | 'protocol'
  /** The plugin answered with an error status or a non-empty `Err`. */
  | 'plugin';

export class TransportError extends Error {
  constructor(
    readonly reason: TransportFailure,
    message: string,
  ) {
    super(message);
  }
}

