// A request target as the host reads it, without the URL parser: `new URL` throws on targets
// any page can send ("//", "http://["), and the host must answer those, not die of them. Only
// the origin form (a path starting with "/") names something here; anything else (the
// absolute and authority forms, "*") gets a path that matches no file and no operation.

export interface RequestTarget {
  path: string;
  query: URLSearchParams;
}

export function requestTarget(url: string | undefined): RequestTarget {
  const target = url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  // URLSearchParams decodes leniently (bad percent-encoding stays as it is) and never throws.
  return { path, query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)) };
}
