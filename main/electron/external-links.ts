// The only addresses the window hands to the system's browser: https documentation of the
// tools a guided error may point to. Anything else a page asks to open (another scheme, a
// file:, a host not listed, credentials in the address) is refused, so a message that carries
// text from a server or a plugin cannot make the desktop open what it names.

const ALLOWED_HOSTS = ['docs.podman.io', 'docs.docker.com', 'github.com', 'man7.org'];

export function isAllowedExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && ALLOWED_HOSTS.includes(u.hostname);
}
