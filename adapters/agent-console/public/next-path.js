// Where the sign-in page may send the agent afterwards (`?next=/admin/report`): only a path on this server. The
// value is normalised the way the browser will read it (dot segments, backslashes, tabs and newlines, percent
// signs) before it is judged, so `/.//evil.example` or `/\tevil.example` cannot become `//evil.example`, which a
// browser reads as another host. Shared with the tests (test/security/sign-in-redirect.test.ts).
export const FALLBACK = '/agent';

export function sameOriginPath(next, origin) {
  if (typeof next !== 'string' || !next.startsWith('/')) return FALLBACK;
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== new URL(origin).origin) return FALLBACK;
  const path = url.pathname + url.search + url.hash;
  // Read again as a location, a path must still be a path on this origin: not `//host` nor `/\host`.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return FALLBACK;
  return path;
}
