// Words of a command a person pastes into a POSIX shell (guided errors' steps, the command
// line as it runs here): single quotes, with a quote inside written '\''.

export const quoted = (s: string) => "'" + s.split("'").join("'\\''") + "'";

const PLAIN = /^[A-Za-z0-9_\/.=:@%+,-]+$/;

/** As it is when it holds nothing a shell reads, else quoted. */
export const shellWord = (w: string) => (PLAIN.test(w) ? w : quoted(w));
